package dev.f2p.core.internal;

import dev.f2p.core.spi.PolicyProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The providers on the class path, found through {@link ServiceLoader}: the one lookup both the settings
 * path ({@link dev.f2p.core.spi.PolicyProviders}) and the client builder's defaults use. Cheap enough to ask
 * before anything is built; stateless.
 */
public final class Providers {
  private Providers() {}

  /**
   * The provider of that name, instantiated; providers after it are not.
   *
   * @param providerType the provider interface
   * @param name the provider's name
   * @param <P> the provider type
   * @return the provider, or empty when none of that name is on the class path
   */
  public static <P extends PolicyProvider<?>> Optional<P> find(Class<P> providerType, String name) {
    for (P provider : load(providerType)) {
      if (provider.name().equals(name)) {
        return Optional.of(provider);
      }
    }
    return Optional.empty();
  }

  /**
   * The names of every provider of that type, for a message saying what there is.
   *
   * @param providerType the provider interface
   * @return the names, in {@link ServiceLoader} order
   */
  public static List<String> names(Class<? extends PolicyProvider<?>> providerType) {
    List<String> names = new ArrayList<>();
    for (PolicyProvider<?> provider : load(providerType)) {
      names.add(provider.name());
    }
    return names;
  }

  private static <P> ServiceLoader<P> load(Class<P> providerType) {
    // On the module path a module may only load services it declares it uses; provider types of sibling
    // modules (an incident store, a lockout store) cannot be listed in this module's descriptor.
    Providers.class.getModule().addUses(providerType);
    return ServiceLoader.load(providerType);
  }
}
