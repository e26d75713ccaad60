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

  /** Builds the store from the authenticator's settings, sized for {@code policy}. */
  LockoutStore create(PolicySettings settings, LockoutPolicy policy) throws Exception;
}
