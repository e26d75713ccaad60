package dev.f2p.security.pdq;

import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.OutputPolicyProvider;
import dev.f2p.core.spi.PolicySettings;

/**
 * Provider {@code pdq}: a {@link PdqHashListOutputPolicy} around another output policy. Settings (under
 * {@code f2p.output-policy.}): {@code delegate.type} (the output policy that labels and encodes, with its own
 * settings under {@code delegate.}; default: plain PNG, {@link OutputPolicy#plainPng()}), and {@code list},
 * {@code max-distance}, {@code dihedral}, {@code max-entries}, {@code reload} as for
 * {@link PdqImageValidatorProvider}. Naming the same list file as the image validator shares the loaded
 * list.
 */
public final class PdqOutputPolicyProvider implements OutputPolicyProvider {
  @Override
  public String name() {
    return PdqSettings.NAME;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return PdqSettings.settingNames(OutputPolicyProvider.class, settings);
  }

  @Override
  public OutputPolicy create(PolicySettings settings) throws Exception {
    return PdqSettings.decorate(OutputPolicyProvider.class, settings, OutputPolicy::plainPng,
        PdqHashListOutputPolicy::new);
  }
}
