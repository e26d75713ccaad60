package dev.f2p.moderation;

import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.PolicySettings;
import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * Provides {@link NsfwImageValidator} under the name {@code nsfw} ({@code f2p.image-validator.type=nsfw}), to
 * refuse explicit uploads too. Settings, under {@code f2p.image-validator.}: {@code delegate.type} (required: the
 * validator that checks and decodes the bytes, such as {@code standard}, with its settings under
 * {@code delegate.}), and {@code threshold}, {@code sexy-threshold}, {@code model}, {@code model-sha256},
 * {@code predictors}, {@code max-wait} as for {@link NsfwOutputPolicyProvider}, whose classifier it shares
 * when they name the same one. Thread-safe.
 */
public final class NsfwImageValidatorProvider implements ImageValidatorProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public NsfwImageValidatorProvider() {}

  @Override
  public String name() {
    return NsfwSettings.NAME;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return NsfwSettings.settingNames(ImageValidatorProvider.class, settings);
  }

  @Override
  public ImageValidator create(PolicySettings settings) throws IOException {
    return NsfwSettings.decorate(ImageValidatorProvider.class, settings,
        () -> {
          throw new NoSuchElementException("missing setting " + settings.fullName(NsfwSettings.DELEGATE_TYPE));
        },
        NsfwImageValidator::new);
  }
}
