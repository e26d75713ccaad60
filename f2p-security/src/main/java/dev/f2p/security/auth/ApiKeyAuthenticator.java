package dev.f2p.security.auth;

import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
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
 * Authenticates API keys against an {@link ApiKeyStore}, with brute-force lockout of the addresses that
 * guess.
 *
 * <p>In order, cheapest first: an address that is locked out is refused before anything else (no parsing,
 * no lookup, no hashing); a key that is not shaped like one is refused; the key id is looked up and the
 * key's hash compared in constant time; a revoked or expired key is refused. Unknown, wrong, revoked and
 * expired keys all look the same to the caller (401, "Missing or invalid API key."); the event attribute
 * {@code auth.failure} tells them apart for operators. Failures count towards the lockout of the address
 * that failed (its subject: an IPv6 address's prefix), never of the key: key ids are public, and a lockout
 * of the key would let anyone lock its owner out from everywhere. A valid secret from an address that is
 * not locked out always authenticates. Wrong secrets for one existing key id, from any address, are
 * counted too, and each {@code keyThreshold} of them within the window raises a
 * {@link Severity#CRITICAL} {@link Outcome#NOTICE} event with detail {@value #KEY_UNDER_ATTACK} (key id
 * and owner, never the key), which an operator can alert on or a containment rule
 * ({@code UNAUTHENTICATED/KEY_UNDER_ATTACK by address ...}) can act on. A revoked or expired key presented
 * with its right secret does not count (its holder is stale, not guessing). Lockouts and alerts are
 * logged at WARN with the address or key id, never a key.
 *
 * <p>Immutable and thread-safe; build one and share it.
 */
public final class ApiKeyAuthenticator implements Authenticator, SecurityEventSource {
  /** The detail of the event raised when one key id collects {@code keyThreshold} wrong secrets. */
  public static final String KEY_UNDER_ATTACK = "KEY_UNDER_ATTACK";
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticator.class);
  private static final Rejection INVALID = Rejection.of(ReasonCode.UNAUTHENTICATED, "INVALID_KEY", ReasonCode.UNAUTHENTICATED.safeMessage());

  private final ApiKeyStore store;
  private final KeyHasher hasher;
  private final Clock clock;
  private final LockoutPolicy lockout;
  private final LockoutStore lockouts;
  private volatile SecurityEventPublisher publisher = SecurityEventPublisher.NONE;

  private ApiKeyAuthenticator(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.hasher = b.hasher;
    this.clock = b.clock;
    this.lockout = b.lockout;
    this.lockouts = b.lockouts != null ? b.lockouts
        : LocalLockoutStore.forPolicy(b.lockout, LocalLockoutStore.DEFAULT_MAX_TRACKED, b.clock);
  }

  /**
   * A builder; {@link Builder#store} is required, everything else has a default.
   *
   * @return a new builder
   */
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
    Optional<ApiKeyRecord> found = store.find(keyId);
    if (found.isEmpty()) {
      return fail(addressSubject, null, now, Failure.UNKNOWN_KEY);
    }
    ApiKeyRecord record = found.get();
    if (!hasher.matches(presentedKey, record.hash())) {
      Decision<Principal> refused = fail(addressSubject, record, now, Failure.WRONG_SECRET);
      countAgainstKey(record, clientAddress, now);
      return refused;
    }
    if (!record.isValidAt(now)) {
      return Decision.reject(INVALID, record.state() == KeyState.REVOKED ? Failure.REVOKED.attributes : Failure.EXPIRED.attributes);
    }
    return Decision.allow(record.principal());
  }

  private Decision<Principal> fail(String addressSubject, @Nullable ApiKeyRecord record, long now, Failure failure) {
    LockoutState a = lockouts.update(addressSubject, s -> lockout.onFailure(s, now, lockout.threshold()));
    if (startedLockout(a, now)) {
      LOG.warn("Locking out address {} for {} after {} failed authentications (lockout {} in a row)",
          printable(addressSubject.substring(2)), Duration.ofMillis(a.lockedUntilMillis() - now), a.failures(), a.level());
    }
    return Decision.reject(INVALID, failure.attributes);
  }

  /**
   * Counts a wrong secret against the key id, which never locks the key: each time the count reaches the
   * key threshold (a "lockout" of the counter only, so the next alert needs as many failures again) an
   * alert is raised instead.
   */
  private void countAgainstKey(ApiKeyRecord record, String clientAddress, long now) {
    if (lockout.keyThreshold() == 0) {
      return;
    }
    String keyId = record.principal().keyId();
    LockoutState k = lockouts.update(CallerMap.key("k", keyId), s -> lockout.onFailure(
        s.isLockedAt(now) ? new LockoutState(0, s.level(), s.lastFailureMillis(), 0) : s, now, lockout.keyThreshold()));
    if (!startedLockout(k, now)) {
      return;
    }
    LOG.warn("Key id {} of principal {} had {} wrong secrets from any address: it is under attack (the key stays "
        + "usable by its owner; consider blocking the addresses or rotating it)", keyId, record.principal().id(),
        k.failures());
    try {
      publisher.publish(SecurityEvent.builder(Stage.AUTHENTICATION, Outcome.NOTICE)
          .timestamp(clock.instant()).severity(Severity.CRITICAL).reason(ReasonCode.UNAUTHENTICATED)
          .detail(KEY_UNDER_ATTACK).keyId(keyId).principalId(record.principal().id()).clientAddress(clientAddress)
          .attribute("auth.key-failures", Integer.toString(k.failures())).build());
    } catch (RuntimeException e) {
      LOG.warn("publishing a {} event failed", KEY_UNDER_ATTACK, e);
    }
  }

  @Override
  public void attach(SecurityEventPublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
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

    /**
     * Where the key records are. Required.
     *
     * @param store looked up on every authentication that gets past the lockout and shape checks
     * @return this builder
     */
    public Builder store(ApiKeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How keys were hashed when issued; default {@link KeyHasher#sha256()}. Must match {@link ApiKeys}':
     * a key hashed another way never matches, and fails as a wrong secret.
     *
     * @param hasher the hasher, with the same pepper the keys were issued with
     * @return this builder
     */
    public Builder hasher(KeyHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
      return this;
    }

    /**
     * The time for expiry and lockouts; default the system clock. Tests pass one they move by hand.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * When failures lock callers out; default {@link LockoutPolicy#ofDefaults()}.
     *
     * @param lockout the policy
     * @return this builder
     */
    public Builder lockout(LockoutPolicy lockout) {
      this.lockout = Objects.requireNonNull(lockout, "lockout");
      return this;
    }

    /**
     * Where lockout state lives; default a {@link LocalLockoutStore} sized for the policy. Several
     * instances behind one load balancer share a store (Redis, in {@code f2p-redis}), or each counts only
     * the guesses it sees.
     *
     * @param lockouts the store, sized for the {@link #lockout policy}
     * @return this builder
     */
    public Builder lockoutStore(LockoutStore lockouts) {
      this.lockouts = Objects.requireNonNull(lockouts, "lockouts");
      return this;
    }

    /**
     * The authenticator.
     *
     * @return an immutable, thread-safe authenticator
     * @throws IllegalStateException when no {@link #store} was set
     */
    public ApiKeyAuthenticator build() {
      if (store == null) {
        throw new IllegalStateException("an ApiKeyAuthenticator needs a store: call store(...)");
      }
      return new ApiKeyAuthenticator(this);
    }
  }
}
