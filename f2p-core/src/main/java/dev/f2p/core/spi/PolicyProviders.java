package dev.f2p.core.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds and runs {@link PolicyProvider}s registered through {@link ServiceLoader}. */
public final class PolicyProviders {
  private PolicyProviders() {}

  /**
   * Builds the policy the provider named {@code name} makes. Fails, naming what is on the class path,
   * when no provider has that name; fails, naming the provider, when it cannot build.
   */
  public static <T, P extends PolicyProvider<T>> T create(Class<P> providerType, String name, PolicySettings settings) {
    List<String> found = new ArrayList<>();
    // On the module path a module may only load services it declares it uses; provider types of sibling
    // modules (an incident store, a lockout store) cannot be listed in this module's descriptor.
    PolicyProviders.class.getModule().addUses(providerType);
    for (P provider : ServiceLoader.load(providerType)) {
      if (provider.name().equals(name)) {
        try {
          T policy = provider.create(settings);
          if (policy == null) {
            throw new IllegalStateException(providerType.getSimpleName() + " '" + name + "' returned null");
          }
          return policy;
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(providerType.getSimpleName() + " '" + name + "' failed: " + e.getMessage(), e);
        }
      }
      found.add(provider.name());
    }
    throw new IllegalArgumentException(
        "no " + providerType.getSimpleName() + " named '" + name + "' on the class path; found " + found);
  }
}
