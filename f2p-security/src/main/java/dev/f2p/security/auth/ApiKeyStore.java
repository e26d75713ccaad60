package dev.f2p.security.auth;

import java.util.List;
import java.util.Optional;

/**
 * Where key records live: looked up by key id on every request, written by {@link ApiKeys}. A store
 * holds hashes only, never keys. Implementations must be thread-safe, and a record saved must be what
 * the next {@link #find} returns (that is what makes revocation effective on the next request).
 */
public interface ApiKeyStore {
  /** The record of a key id, if any. Called on every authentication: keep it fast. */
  Optional<ApiKeyRecord> find(String keyId);

  /** Every record. */
  List<ApiKeyRecord> list();

  /**
   * Inserts or replaces (by key id) every record given, all or none.
   *
   * @throws java.io.UncheckedIOException if the records could not be stored
   */
  void save(List<ApiKeyRecord> records);
}
