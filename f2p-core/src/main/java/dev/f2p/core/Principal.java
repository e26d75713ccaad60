package dev.f2p.core;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as an {@link dev.f2p.core.spi.Authenticator} established it: a stable id, the roles
 * that decide what it may do, and the id of the key it presented (never the key itself). Immutable.
 *
 * @param id the principal's stable id, such as an account or tenant name
 * @param roles the roles it holds
 * @param keyId the public id of the credential it used, such as an API key's prefix; never a secret
 */
public record Principal(String id, Set<Role> roles, String keyId) {
  /**
   * Copies the roles; the id must not be blank.
   *
   * @param id the principal's stable id, such as an account or tenant name
   * @param roles the roles it holds
   * @param keyId the public id of the credential it used, such as an API key's prefix; never a secret
   */
  public Principal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(keyId, "keyId");
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
  }

  /**
   * {@return whether this principal holds the role}
   *
   * @param role the role asked about
   */
  public boolean hasRole(Role role) {
    return roles.contains(role);
  }
}
