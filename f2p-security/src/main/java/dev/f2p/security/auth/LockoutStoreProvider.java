package dev.f2p.security.auth;

import dev.f2p.core.spi.PolicySettings;

/**
 * Builds a {@link LockoutStore} by name for the {@code api-key} authenticator's {@code lockout.store}
 * setting (such as {@code redis} from {@code f2p-redis}); register implementations in
 * {@code META-INF/services/dev.f2p.security.auth.LockoutStoreProvider}.
 */
public interface LockoutStoreProvider {
  /** The name {@code lockout.store} selects, lower case. */
  String name();

  /**
   * The settings this store reads, relative to the authenticator's scope, as
   * {@link dev.f2p.core.spi.PolicyProvider#settingNames} declares them.
   *
   * @param settings the authenticator's settings
   * @return the names and patterns; the default, none
   */
  default java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of();
  }

  /** Builds the store from the authenticator's settings, sized for {@code policy}. */
  LockoutStore create(PolicySettings settings, LockoutPolicy policy) throws Exception;
}
