package dev.f2p.security.auth;

import dev.f2p.core.spi.PolicySettings;

/**
 * Builds a {@link LockoutStore} by name for the {@code api-key} authenticator's {@code lockout.store}
 * setting (such as {@code redis} from {@code f2p-redis}); register implementations in
 * {@code META-INF/services/dev.f2p.security.auth.LockoutStoreProvider}.
 */
public interface LockoutStoreProvider {
  /**
   * The name {@code lockout.store} selects, such as {@code redis}; {@code local} is the built-in store's.
   *
   * @return the name, lower case
   */
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

  /**
   * Builds the store from the authenticator's settings, sized for {@code policy} (its state must outlive
   * the window plus the longest lockout).
   *
   * @param settings the authenticator's settings, relative to its scope
   * @param policy the lockout policy the store serves
   * @return a thread-safe store
   * @throws Exception when the store cannot be built (a bad setting, an unreachable server): the
   *     authenticator then fails to build, naming this provider
   */
  LockoutStore create(PolicySettings settings, LockoutPolicy policy) throws Exception;
}
