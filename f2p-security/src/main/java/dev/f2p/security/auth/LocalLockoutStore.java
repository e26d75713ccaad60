package dev.f2p.security.auth;

import dev.f2p.security.internal.CallerMap;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Lockout state in this JVM, bounded and not flushable: addresses ({@code a:}) and key ids ({@code k:})
 * are kept apart, at most {@code maxTracked} subjects each. A subject is forgotten only once its state
 * locks nothing and counts nothing any more: {@code idleExpiry} after its last failure or lockout (choose
 * at least the failure window; {@link #forPolicy} takes the window plus the longest lockout). When a side
 * is full of subjects that still count, new subjects of that side share one overflow state (limited
 * together) rather than evicting a lockout in force. About 200 bytes per subject. Thread-safe.
 */
public final class LocalLockoutStore implements LockoutStore {
  /** Default cap on tracked subjects. */
  public static final int DEFAULT_MAX_TRACKED = 100_000;

  private final CallerMap<Entry> addresses;
  private final CallerMap<Entry> keyIds;
  private final Clock clock;
  private final long idleMillis;

  /**
   * A store with its own limits; {@link #forPolicy} chooses the idle expiry for a policy.
   *
   * @param maxTracked the most subjects kept on each side (addresses, key ids), at least 1
   * @param idleExpiry how long a subject without failures is kept, positive
   * @param clock the time for idle expiry
   * @throws IllegalArgumentException when {@code maxTracked} is below 1 or {@code idleExpiry} not positive
   */
  public LocalLockoutStore(int maxTracked, Duration idleExpiry, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.addresses = new CallerMap<>(maxTracked, idleExpiry, clock);
    this.keyIds = new CallerMap<>(maxTracked, idleExpiry, clock);
    this.idleMillis = idleExpiry.toMillis();
  }

  /**
   * A store sized for {@code policy}: idle expiry of its window plus its longest lockout, so no subject is
   * forgotten while its lockout or count could still matter.
   *
   * @param policy the policy whose states it keeps
   * @param maxTracked the most subjects kept on each side, at least 1 (default {@value #DEFAULT_MAX_TRACKED})
   * @param clock the time for idle expiry; the same clock the authenticator uses
   * @return the store
   */
  public static LocalLockoutStore forPolicy(LockoutPolicy policy, int maxTracked, Clock clock) {
    return new LocalLockoutStore(maxTracked, policy.window().plus(policy.maxLockout()), clock);
  }

  private CallerMap<Entry> side(String subject) {
    return subject.startsWith("k:") ? keyIds : addresses;
  }

  @Override
  public LockoutState get(String subject) {
    Entry e = side(subject).peek(subject);
    return e == null ? LockoutState.NONE : e.state;
  }

  @Override
  public LockoutState update(String subject, UnaryOperator<LockoutState> update) {
    return side(subject).withEntry(subject, k -> new Entry(), e -> {
      LockoutState s = update.apply(e.state);
      e.state = s;
      e.freshAt(s.equals(LockoutState.NONE) ? clock.millis()
          : Math.max(s.lastFailureMillis(), s.lockedUntilMillis()) + idleMillis);
      return s;
    });
  }

  /**
   * How many subjects have a state of their own now (those sharing the overflow state not counted).
   *
   * @return addresses plus key ids tracked
   */
  public int trackedSubjects() {
    return addresses.size() + keyIds.size();
  }

  private static final class Entry extends CallerMap.Tracked {
    volatile LockoutState state = LockoutState.NONE;
  }
}
