package dev.f2p.engine.djl;

import java.util.concurrent.atomic.AtomicReference;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.core.spi.ResourceGuard;
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
 *       {@value DjlImageEditEngine#DEFAULT_PREDICTORS_PER_DEVICE}. When the resource guard was built from the
 *       same settings ({@code f2p.resource-guard.type=standard}) it owns capacity instead: the pool has its
 *       {@code devices} x {@code slots-per-device} (see {@link DjlImageEditEngine.Builder#sizedBy}) and this
 *       setting is refused
 *   <li>{@code integrity-interval}: how often the bundle is re-verified, such as {@code 5m}; {@code 0s}
 *       turns it off; default 5 minutes
 * </ul>
 */
public final class DjlEngineProvider implements ImageEditEngineProvider {
  @Override
  public String name() {
    return "djl";
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("bundle", "trusted-keys", "require-signature", "key-env", "key-file", "device", "require-gpu", "predictors-per-device", "integrity-interval");
  }

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
    // One owner of capacity: a guard built from the same settings sizes the pool; otherwise the setting does.
    @SuppressWarnings("unchecked")
    AtomicReference<Object> guard =
        settings.shared(ResourceGuardProvider.SHARED_KEY, AtomicReference.class, AtomicReference::new);
    if (guard.get() instanceof ResourceGuard g && g.metrics().isPresent()) {
      if (settings.get("predictors-per-device").isPresent()) {
        throw new IllegalArgumentException(settings.fullName("predictors-per-device")
            + " cannot be set with a resource guard that counts slots: set its slots-per-device instead");
      }
      b.sizedBy(g);
    } else {
      b.predictorsPerDevice(settings.getInt("predictors-per-device", DjlImageEditEngine.DEFAULT_PREDICTORS_PER_DEVICE));
    }
    b.integrityCheckEvery(settings.getDuration("integrity-interval", DjlImageEditEngine.DEFAULT_INTEGRITY_INTERVAL));
    DjlImageEditEngine engine = b.build();
    @SuppressWarnings("unchecked")
    AtomicReference<Object> published =
        settings.shared(ImageEditEngineProvider.SHARED_KEY, AtomicReference.class, AtomicReference::new);
    published.set(engine);
    return engine;
  }
}
