package dev.f2p.security.auth;

import dev.f2p.security.internal.CallerMap;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Lockout state in this JVM, bounded: at most {@code maxTracked} subjects; a subject without a failure
 * for {@code idleExpiry} (choose the failure window plus the longest lockout, after which the state
 * locks nothing) is forgotten, and at the cap the least recently failing go first. Thread-safe.
 */
public final class LocalLockoutStore implements LockoutStore {
  /** Default cap on tracked subjects. */
  public static final int DEFAULT_MAX_TRACKED = 100_000;

  private final CallerMap<Entry> entries;

  public LocalLockoutStore(int maxTracked, Duration idleExpiry, Clock clock) {
    this.entries = new CallerMap<>(maxTracked, idleExpiry, Objects.requireNonNull(clock, "clock"));
  }

  /** A store sized for {@code policy}: idle expiry of its window plus its longest lockout. */
  public static LocalLockoutStore forPolicy(LockoutPolicy policy, int maxTracked, Clock clock) {
    return new LocalLockoutStore(maxTracked, policy.window().plus(policy.maxLockout()), clock);
  }

  @Override
  public LockoutState get(String subject) {
    Entry e = entries.peek(subject);
    return e == null ? LockoutState.NONE : e.state;
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

  private static final class Entry implements CallerMap.Tracked {
    volatile LockoutState state = LockoutState.NONE;
    volatile long lastAccess;

    @Override
    public long lastAccess() {
      return lastAccess;
    }

    @Override
    public void touch(long millis) {
      lastAccess = millis;
    }
  }
}
