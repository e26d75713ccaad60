package dev.f2p.moderation;

import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.OutputPolicyProvider;
import dev.f2p.core.spi.PolicySettings;
import java.io.IOException;

/**
 * Provides {@link NsfwOutputPolicy} under the name {@code nsfw} ({@code f2p.output-policy.type=nsfw}). Settings,
 * under {@code f2p.output-policy.}:
 * <ul>
 *   <li>{@code delegate.type}: the output policy that labels and encodes what passes, such as {@code provenance}
 *       or {@code pdq}, with its own settings under {@code delegate.}; default plain PNG
 *       ({@link OutputPolicy#plainPng()});
 *   <li>{@code threshold}: refuse Porn or Hentai at or above this probability, in (0, 1]; default 0.5;
 *   <li>{@code sexy-threshold}: refuse Sexy at or above this probability, in (0, 1], or {@code off};
 *       default 0.9;
 *   <li>{@code model} and {@code model-sha256}: another TorchScript file of the same shape and its SHA-256
 *       (both or neither); default the built-in nsfwjs MobileNetV2;
 *   <li>{@code predictors}: predictors in the pool, 1 to 64, default 2;
 *       {@code max-wait}: how long a request waits for one, default {@code 10s}.
 * </ul>
 * An image validator {@code nsfw} with the same model settings shares the loaded classifier. Thread-safe.
 */
public final class NsfwOutputPolicyProvider implements OutputPolicyProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public NsfwOutputPolicyProvider() {}

  @Override
  public String name() {
    return NsfwSettings.NAME;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return NsfwSettings.settingNames(OutputPolicyProvider.class, settings);
  }

  @Override
  public OutputPolicy create(PolicySettings settings) throws IOException {
    return NsfwSettings.decorate(OutputPolicyProvider.class, settings, OutputPolicy::plainPng, NsfwOutputPolicy::new);
  }
}
