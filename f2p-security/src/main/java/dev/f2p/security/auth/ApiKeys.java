package dev.f2p.security.auth;

import dev.f2p.core.Role;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The administration of API keys: issue, list, rotate, revoke. Each change is saved to the
 * {@link ApiKeyStore} before the method returns, so an {@link ApiKeyAuthenticator} over the same store
 * honours it on its next request. Thread-safe if the store is; changes to one key are serialized here.
 */
public final class ApiKeys {
  private static final int ID_ATTEMPTS = 8;

  private final ApiKeyStore store;
  private final KeyHasher hasher;
  private final Clock clock;
  private final SecureRandom random;

  /**
   * @param store where records go
   * @param hasher how keys are hashed; the authenticator must use the same one (same pepper)
   * @param clock the time for creation and expiry
   */
  public ApiKeys(ApiKeyStore store, KeyHasher hasher, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = new SecureRandom();
  }

  /**
   * Issues a new key for a principal.
   *
   * @param principalId matches {@link ApiKeyRecord#PRINCIPAL_ID}
   * @param roles at least one
   * @param validity how long the key works; empty for no expiry
   * @return the key, which exists nowhere else: show it once
   */
  public synchronized IssuedKey issue(String principalId, Set<Role> roles, Optional<Duration> validity) {
    Objects.requireNonNull(principalId, "principalId");
    if (validity.isPresent() && (validity.get().isNegative() || validity.get().isZero())) {
      throw new IllegalArgumentException("validity must be positive: " + validity.get());
    }
    Instant now = clock.instant();
    String keyId = newKeyId();
    String key = ApiKeyFormat.newKey(keyId, random);
    ApiKeyRecord record = ApiKeyRecord.of(keyId, principalId, roles, hasher.hash(key), now,
        validity.map(now::plus), KeyState.ACTIVE);
    store.save(List.of(record));
    return new IssuedKey(key, record);
  }

  /**
   * Every key record, oldest first (then by key id), revoked and expired ones included.
   *
   * @return an immutable list of the store's records
   */
  public List<ApiKeyRecord> list() {
    return store.list().stream().sorted(ApiKeyRecord.OLDEST_FIRST).toList();
  }

  /**
   * Rotates a key: issues a new one for the same principal and roles (valid as long as the old one was
   * meant to be, if it had an expiry) and lets the old one work only for {@code grace} more (zero: it
   * stops now). Both changes are saved together.
   *
   * @param keyId the key to replace
   * @param grace how long the old key keeps working, zero or more; never past its own expiry
   * @return the new key, or empty when {@code keyId} names no key that is valid now
   * @throws IllegalArgumentException when {@code grace} is negative
   */
  public synchronized Optional<IssuedKey> rotate(String keyId, Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    Instant now = clock.instant();
    Optional<ApiKeyRecord> found = store.find(keyId).filter(r -> r.isValidAt(now));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ApiKeyRecord old = found.get();
    String newId = newKeyId();
    String key = ApiKeyFormat.newKey(newId, random);
    Optional<Duration> validity = old.expires().map(e -> Duration.between(old.created(), e));
    ApiKeyRecord fresh = ApiKeyRecord.of(newId, old.principalId(), old.roles(), hasher.hash(key), now,
        validity.map(now::plus), KeyState.ACTIVE);
    store.save(List.of(fresh, old.expiringBy(now.plus(grace))));
    return Optional.of(new IssuedKey(key, fresh));
  }

  /**
   * Revokes a key from the next request on.
   *
   * @param keyId the key to revoke
   * @return whether a key that was not yet revoked is now; false for an unknown or already revoked id
   */
  public synchronized boolean revoke(String keyId) {
    Optional<ApiKeyRecord> found = store.find(keyId).filter(r -> r.state() == KeyState.ACTIVE);
    found.ifPresent(r -> store.save(List.of(r.revoked())));
    return found.isPresent();
  }

  private String newKeyId() {
    for (int i = 0; i < ID_ATTEMPTS; i++) {
      String id = ApiKeyFormat.newKeyId(random);
      if (store.find(id).isEmpty()) {
        return id;
      }
    }
    throw new IllegalStateException("could not find a free key id in " + ID_ATTEMPTS + " attempts");
  }
}
