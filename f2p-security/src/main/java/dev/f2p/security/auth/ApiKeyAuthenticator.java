package dev.f2p.security.auth;

import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Decision;
import dev.f2p.security.internal.CallerMap;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates API keys against an {@link ApiKeyStore}, with brute-force lockout.
 *
 * <p>In order, cheapest first: an address that is locked out is refused before anything else (no parsing,
 * no lookup, no hashing); a key that is not shaped like one is refused; a key id that is locked out is
 * refused; the key id is looked up and the key's hash compared in constant time; a revoked or expired key
 * is refused. Unknown, wrong, revoked and expired keys all look the same to the caller (401, "Missing or
 * invalid API key."); the event attribute {@code auth.failure} tells them apart for operators. Failures
 * count towards the address's lockout, and, when the key id exists, the key id's; a revoked or expired
 * key presented with its right secret does not count (its holder is stale, not guessing). Lockouts are
 * logged at WARN with the address or key id, never a key.
 *
 * <p>Immutable and thread-safe; build one and share it.
 */
public final class ApiKeyAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticator.class);
  private static final Rejection INVALID = Rejection.of(ReasonCode.UNAUTHENTICATED, "INVALID_KEY", ReasonCode.UNAUTHENTICATED.safeMessage());

  private final ApiKeyStore store;
  private final KeyHasher hasher;
  private final Clock clock;
  private final LockoutPolicy lockout;
  private final LockoutStore lockouts;

  private ApiKeyAuthenticator(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.hasher = b.hasher;
    this.clock = b.clock;
    this.lockout = b.lockout;
    this.lockouts = b.lockouts != null ? b.lockouts
        : LocalLockoutStore.forPolicy(b.lockout, LocalLockoutStore.DEFAULT_MAX_TRACKED, b.clock);
  }

  /** A builder; {@link Builder#store} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Decision<Principal> authenticate(String presentedKey, String clientAddress) {
    long now = clock.millis();
    String addressSubject = CallerMap.key("a", clientAddress);
    LockoutState addressState = lockouts.get(addressSubject);
    if (addressState.isLockedAt(now)) {
      return lockedOut(addressState, now, "ADDRESS_LOCKED");
    }
    String keyId = ApiKeyFormat.keyIdOf(presentedKey);
    if (keyId == null) {
      return fail(addressSubject, null, now, presentedKey.isEmpty() ? Failure.MISSING : Failure.MALFORMED);
    }
    String keySubject = CallerMap.key("k", keyId);
    if (lockout.keyThreshold() > 0) {
      LockoutState keyState = lockouts.get(keySubject);
      if (keyState.isLockedAt(now)) {
        return lockedOut(keyState, now, "KEY_LOCKED");
      }
    }
    Optional<ApiKeyRecord> found = store.find(keyId);
    if (found.isEmpty()) {
      return fail(addressSubject, null, now, Failure.UNKNOWN_KEY);
    }
    ApiKeyRecord record = found.get();
    if (!hasher.matches(presentedKey, record.hash())) {
      return fail(addressSubject, keySubject, now, Failure.WRONG_SECRET);
    }
    if (!record.isValidAt(now)) {
      return Decision.reject(INVALID, record.state() == KeyState.REVOKED ? Failure.REVOKED.attributes : Failure.EXPIRED.attributes);
    }
    return Decision.allow(record.principal());
  }

  private Decision<Principal> fail(String addressSubject, @Nullable String keySubject, long now, Failure failure) {
    LockoutState a = lockouts.update(addressSubject, s -> lockout.onFailure(s, now, lockout.threshold()));
    if (startedLockout(a, now)) {
      LOG.warn("Locking out address {} for {} after {} failed authentications (lockout {} in a row)",
          printable(addressSubject.substring(2)), Duration.ofMillis(a.lockedUntilMillis() - now), a.failures(), a.level());
    }
    if (keySubject != null && lockout.keyThreshold() > 0) {
      LockoutState k = lockouts.update(keySubject, s -> lockout.onFailure(s, now, lockout.keyThreshold()));
      if (startedLockout(k, now)) {
        LOG.warn("Locking key id {} for {} after {} failed authentications against it: consider rotating it",
            keySubject.substring(2), Duration.ofMillis(k.lockedUntilMillis() - now), k.failures());
      }
    }
    return Decision.reject(INVALID, failure.attributes);
  }

  /** Whether this failure is the one that locked the subject (so the lockout is logged once). */
  private static boolean startedLockout(LockoutState s, long now) {
    return s.isLockedAt(now) && s.lastFailureMillis() == now;
  }

  private static Decision<Principal> lockedOut(LockoutState state, long now, String detail) {
    Duration left = Duration.ofMillis(state.lockedUntilMillis() - now);
    return Decision.reject(Rejection.of(ReasonCode.UNAUTHENTICATED, detail,
            "Too many failed authentication attempts; try again later.")
        .withHttpStatus(429).withRetryAfter(left), Map.of("auth.failure", detail));
  }

  /** An address as it may appear in a log line: no line breaks or control characters, bounded. */
  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) : s;
    return cut.replaceAll("[^0-9A-Za-z.:%\\[\\]_-]", "?");
  }

  /** Why a key failed, for operators only. */
  private enum Failure {
    MISSING, MALFORMED, UNKNOWN_KEY, WRONG_SECRET, REVOKED, EXPIRED;

    final Map<String, String> attributes = Map.of("auth.failure", name());
  }

  /** Builds an {@link ApiKeyAuthenticator}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ApiKeyStore store;
    private KeyHasher hasher = KeyHasher.sha256();
    private Clock clock = Clock.systemUTC();
    private LockoutPolicy lockout = LockoutPolicy.ofDefaults();
    private @Nullable LockoutStore lockouts;

    private Builder() {}

    /** Where the key records are. Required. */
    public Builder store(ApiKeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** How keys were hashed when issued; default {@link KeyHasher#sha256()}. Must match {@link ApiKeys}'. */
    public Builder hasher(KeyHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /** The time for expiry and lockouts; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** When failures lock callers out; default {@link LockoutPolicy#ofDefaults()}. */
    public Builder lockout(LockoutPolicy lockout) {
      this.lockout = Objects.requireNonNull(lockout, "lockout");
      return this;
    }

    /** Where lockout state lives; default a {@link LocalLockoutStore} sized for the policy. */
    public Builder lockoutStore(LockoutStore lockouts) {
      this.lockouts = Objects.requireNonNull(lockouts, "lockouts");
      return this;
    }

    public ApiKeyAuthenticator build() {
      if (store == null) {
        throw new IllegalStateException("an ApiKeyAuthenticator needs a store: call store(...)");
      }
      return new ApiKeyAuthenticator(this);
    }
  }
}
