package dev.f2p.security.auth;

import dev.f2p.security.internal.CallerMap;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Lockout state in this JVM, bounded: at most {@code maxTracked} subjects; a subject without a failure
 * for {@code idleExpiry} (choose the failure window plus the longest lockout, after which the state
 * locks nothing) is forgotten, and at the cap the least recently active go first (a locked-out subject
 * that keeps trying counts as active). Thread-safe.
 */
public final class LocalLockoutStore implements LockoutStore {
  /** Default cap on tracked subjects. */
  public static final int DEFAULT_MAX_TRACKED = 100_000;

  private final CallerMap<Entry> entries;
  private final Clock clock;

  /**
   * @param maxTracked the most subjects kept
   * @param idleExpiry how long a subject without failures is kept
   * @param clock the time for idle expiry
   */
  public LocalLockoutStore(int maxTracked, Duration idleExpiry, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.entries = new CallerMap<>(maxTracked, idleExpiry, clock);
  }

  /** A store sized for {@code policy}: idle expiry of its window plus its longest lockout. */
  public static LocalLockoutStore forPolicy(LockoutPolicy policy, int maxTracked, Clock clock) {
    return new LocalLockoutStore(maxTracked, policy.window().plus(policy.maxLockout()), clock);
  }

  @Override
  public LockoutState get(String subject) {
    Entry e = entries.peek(subject);
    if (e == null) {
      return LockoutState.NONE;
    }
    LockoutState s = e.state;
    long now = clock.millis();
    if (s.isLockedAt(now)) {
      // A subject still knocking while locked out stays among the most recently used, so a flood of
      // new subjects evicts others before it evicts a lockout in force.
      e.touch(now);
    }
    return s;
  }

  @Override
  public LockoutState update(String subject, UnaryOperator<LockoutState> update) {
    Entry e = entries.getOrCreate(subject, k -> new Entry());
    synchronized (e) {
      e.state = update.apply(e.state);
      return e.state;
    }
  }

  /** How many subjects are tracked now. */
  public int trackedSubjects() {
    return entries.size();
  }

  private static final class Entry extends CallerMap.Tracked {
    volatile LockoutState state = LockoutState.NONE;
  }
}
