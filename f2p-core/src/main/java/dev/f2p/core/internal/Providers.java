package dev.f2p.core.internal;

import dev.f2p.core.spi.PolicyProvider;
import java.util.ServiceLoader;

/** Questions about the providers on the class path that are cheap enough to ask before anything is built. */
public final class Providers {
  private Providers() {}

  /**
   * Whether a provider of that name is on the class path.
   *
   * @param providerType the provider interface
   * @param name the provider's name
   * @return whether {@link ServiceLoader} finds it
   */
  public static boolean present(Class<? extends PolicyProvider<?>> providerType, String name) {
    // On the module path a module may only load services it declares it uses.
    Providers.class.getModule().addUses(providerType);
    for (PolicyProvider<?> provider : ServiceLoader.load(providerType)) {
      if (provider.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
