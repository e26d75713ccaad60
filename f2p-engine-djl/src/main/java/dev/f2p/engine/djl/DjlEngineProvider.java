package dev.f2p.engine.djl;

import java.util.concurrent.atomic.AtomicReference;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.PolicySettings;
import java.nio.file.Path;

/**
 * Provider {@code djl}: a {@link DjlImageEditEngine} from settings (under {@code f2p.engine.}):
 *
 * <ul>
 *   <li>{@code bundle}: the bundle directory (required)
 *   <li>{@code trusted-keys}: comma list of PEM public key files; with any, a signature is required
 *   <li>{@code require-signature}: {@code true}/{@code false}; default {@code true} when keys are set
 *   <li>{@code key-env}: environment variable holding the AES-256 key of encrypted components
 *   <li>{@code key-file}: file holding that key (mode 600); at most one of {@code key-env}, {@code key-file}
 *   <li>{@code device}: {@code cpu} or {@code gpuN}; default every GPU, else the CPU
 *   <li>{@code require-gpu}: fail at load when no GPU is present; default {@code false}
 *   <li>{@code predictors-per-device}: requests in flight per device; default
 *       {@value DjlImageEditEngine#DEFAULT_PREDICTORS_PER_DEVICE}. With the devices it is the engine's declared
 *       capacity ({@link DjlImageEditEngine#capacityPlan()}): the client builds the resource guard from it
 *       after the engine, so the guard admits at most devices x predictors per device and each lease names
 *       the device the request runs on (the guard's own {@code devices} and {@code slots-per-device} are then
 *       refused)
 *   <li>{@code integrity-interval}: how often the bundle is re-verified, such as {@code 5m}; {@code 0s}
 *       turns it off; default 5 minutes
 * </ul>
 *
 * <p>The engine it builds is also registered as the shared object {@link #SHARED_KEY} (an
 * {@link AtomicReference}), so a metrics listener built from the same settings can read its devices.
 * Stateless and thread-safe.
 */
public final class DjlEngineProvider implements ImageEditEngineProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
  public DjlEngineProvider() {}

  /**
   * The name hosts select this provider by.
   *
   * @return {@code djl}
   */
  @Override
  public String name() {
    return "djl";
  }

  /**
   * Every setting the engine reads, relative to {@code f2p.engine.}.
   *
   * @param settings this provider's settings
   * @return the names
   */
  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("bundle", "trusted-keys", "require-signature", "key-env", "key-file", "device", "require-gpu", "predictors-per-device", "integrity-interval");
  }

  /**
   * Verifies, loads and warms up the bundle the settings name.
   *
   * @param settings this provider's settings
   * @return the loaded engine
   * @throws Exception naming the setting that is missing or invalid, or the bundle's problem
   *     ({@link BundleVerificationException})
   */
  @Override
  public ImageEditEngine create(PolicySettings settings) throws Exception {
    DjlImageEditEngine.Builder b = DjlImageEditEngine.builder().bundle(Path.of(settings.require("bundle")));
    for (String key : settings.getList("trusted-keys")) {
      b.trustedKey(Path.of(key));
    }
    if (settings.get("require-signature").isPresent()) {
      b.requireSignature(settings.getBoolean("require-signature", true));
    }
    if (settings.get("key-env").isPresent() && settings.get("key-file").isPresent()) {
      throw new IllegalArgumentException("set one of " + settings.fullName("key-env") + " and "
          + settings.fullName("key-file") + ", not both");
    }
    settings.get("key-env").ifPresent(v -> b.keyProvider(KeyProvider.fromEnvironment(v)));
    settings.getPath("key-file").ifPresent(f -> b.keyProvider(KeyProvider.fromFile(f)));
    settings.get("device").ifPresent(b::device);
    b.requireGpu(settings.getBoolean("require-gpu", false));
    // The engine owns capacity: the resource guard is built from this pool's plan after the engine.
    b.predictorsPerDevice(settings.getInt("predictors-per-device", DjlImageEditEngine.DEFAULT_PREDICTORS_PER_DEVICE));
    b.integrityCheckEvery(settings.getDuration("integrity-interval", DjlImageEditEngine.DEFAULT_INTEGRITY_INTERVAL));
    DjlImageEditEngine engine = b.build();
    @SuppressWarnings("unchecked")
    AtomicReference<Object> published =
        settings.shared(ImageEditEngineProvider.SHARED_KEY, AtomicReference.class, AtomicReference::new);
    published.set(engine);
    return engine;
  }
}
