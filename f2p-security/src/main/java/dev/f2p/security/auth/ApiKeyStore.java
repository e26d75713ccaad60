package dev.f2p.security.auth;

import java.util.List;
import java.util.Optional;

/**
 * Where key records live: looked up by key id on every request, written by {@link ApiKeys}. A store
 * holds hashes only, never keys. Implementations must be thread-safe, and a record saved must be what
 * the next {@link #find} returns (that is what makes revocation effective on the next request).
 */
public interface ApiKeyStore {
  /**
   * The record of a key id. Called on every authentication that gets past the lockout and shape checks:
   * keep it fast, and never block on a slow backend without a timeout.
   *
   * @param keyId a well-formed key id (12 characters of {@code [a-z0-9]})
   * @return its record, revoked and expired ones included; empty when the id is unknown
   */
  Optional<ApiKeyRecord> find(String keyId);

  /**
   * Every record, for listing and rotation (not on the request path).
   *
   * @return the records, revoked and expired ones included, in no particular order
   */
  List<ApiKeyRecord> list();

  /**
   * Inserts or replaces (by key id) every record given, all or none.
   *
   * @param records the records to store; replacing one with its {@link ApiKeyRecord#revoked} copy
   *     revokes the key
   * @throws java.io.UncheckedIOException if the records could not be stored
   */
  void save(List<ApiKeyRecord> records);
}
