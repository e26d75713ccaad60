package dev.f2p.security.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * When failed authentications lock an address out, and for how long. After {@code threshold} failures
 * from one address (its subject: an IPv6 address's prefix) the address is locked out for
 * {@code baseLockout}; each failure after a lockout ends, while the count has not decayed, locks it
 * again for twice as long, up to {@code maxLockout}. The count decays once {@code window} passes without
 * a failure and without a lockout. Successes do not reset the count: a caller holding one good key
 * could otherwise interleave it with guesses. Wrong secrets against one key id are counted with
 * {@code keyThreshold} too, but they raise an alert, never a lockout of the key (see
 * {@link ApiKeyAuthenticator}). Immutable.
 */
public final class LockoutPolicy {
  /** Failures from one address before its first lockout: 10. */
  public static final int DEFAULT_THRESHOLD = 10;
  /** Wrong secrets against one key id before a {@code KEY_UNDER_ATTACK} alert: 20. */
  public static final int DEFAULT_KEY_THRESHOLD = 20;
  /** Quiet time after which the failure count decays: 15 minutes. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
  /** The first lockout: one minute. */
  public static final Duration DEFAULT_BASE_LOCKOUT = Duration.ofMinutes(1);
  /** The cap on a doubled lockout: one hour. */
  public static final Duration DEFAULT_MAX_LOCKOUT = Duration.ofHours(1);

  private final int threshold;
  private final int keyThreshold;
  private final Duration window;
  private final Duration baseLockout;
  private final Duration maxLockout;

  private LockoutPolicy(Builder b) {
    this.threshold = b.threshold;
    this.keyThreshold = b.keyThreshold;
    this.window = b.window;
    this.baseLockout = b.baseLockout;
    this.maxLockout = b.maxLockout;
  }

  /**
   * The policy with every default: 10 failures, 1 minute doubling to at most 1 hour, a 15-minute window,
   * an alert after 20 wrong secrets for one key.
   *
   * @return the default policy
   */
  public static LockoutPolicy ofDefaults() {
    return builder().build();
  }

  /**
   * A builder holding the defaults; set only what differs.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Failures from one address that lock it out.
   *
   * @return the threshold, at least 1
   */
  public int threshold() {
    return threshold;
  }

  /**
   * Wrong secrets against one key id, within the window, that raise an alert.
   *
   * @return the threshold; 0 for no alerts
   */
  public int keyThreshold() {
    return keyThreshold;
  }

  /**
   * How long a subject must stay without failures and without a lockout before its count decays.
   *
   * @return the window, at least 1 ms
   */
  public Duration window() {
    return window;
  }

  /**
   * The first lockout in a row; later ones double it.
   *
   * @return the base lockout, at least 1 ms
   */
  public Duration baseLockout() {
    return baseLockout;
  }

  /**
   * The longest a doubled lockout lasts.
   *
   * @return the cap, never shorter than {@link #baseLockout()}
   */
  public Duration maxLockout() {
    return maxLockout;
  }

  /**
   * The state after one more failure at {@code nowMillis}, for a subject locked after {@code limit}
   * failures. A pure function, so a store can apply it in a compare-and-set loop or a Redis script and
   * retry freely. A failure while the subject is locked changes nothing (the lockout covers it); one after
   * a quiet {@link #window} starts counting afresh at level 0.
   *
   * @param s the subject's state now ({@link LockoutState#NONE} for a new subject)
   * @param nowMillis the time of the failure, epoch milliseconds
   * @param limit failures that lock: {@link #threshold()} for addresses, {@link #keyThreshold()} for the
   *     alert on a key id
   * @return the next state; locked until {@code nowMillis + lockoutFor(level)} when the count reached
   *     {@code limit}
   */
  public LockoutState onFailure(LockoutState s, long nowMillis, int limit) {
    if (s.isLockedAt(nowMillis)) {
      // A failure that raced past the lockout check: the lockout already covers it.
      return s;
    }
    LockoutState base = nowMillis - Math.max(s.lastFailureMillis(), s.lockedUntilMillis()) > window.toMillis()
        ? LockoutState.NONE : s;
    int failures = base.failures() + 1;
    if (failures < limit) {
      return new LockoutState(failures, base.level(), nowMillis, base.lockedUntilMillis());
    }
    int level = base.level() + 1;
    return new LockoutState(failures, level, nowMillis, nowMillis + lockoutFor(level).toMillis());
  }

  /**
   * How long the {@code level}th lockout in a row lasts: the base doubled each time, capped. Never
   * overflows, whatever the level.
   *
   * @param level 1 for the first lockout; 0 or less reads as 1
   * @return between {@link #baseLockout()} and {@link #maxLockout()}
   */
  public Duration lockoutFor(int level) {
    int doublings = Math.min(Math.max(level - 1, 0), 40);
    long millis = baseLockout.toMillis();
    for (int i = 0; i < doublings && millis < maxLockout.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxLockout.toMillis()));
  }

  @Override
  public String toString() {
    return "LockoutPolicy{threshold=" + threshold + ", keyThreshold=" + keyThreshold + ", window=" + window
        + ", lockout=" + baseLockout + ".." + maxLockout + "}";
  }

  /** Builds a {@link LockoutPolicy}. Not thread-safe. */
  public static final class Builder {
    private int threshold = DEFAULT_THRESHOLD;
    private int keyThreshold = DEFAULT_KEY_THRESHOLD;
    private Duration window = DEFAULT_WINDOW;
    private Duration baseLockout = DEFAULT_BASE_LOCKOUT;
    private Duration maxLockout = DEFAULT_MAX_LOCKOUT;

    private Builder() {}

    /**
     * Failures from one address before it is locked out; default {@value LockoutPolicy#DEFAULT_THRESHOLD}.
     *
     * @param threshold at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder threshold(int threshold) {
      if (threshold < 1) {
        throw new IllegalArgumentException("threshold must be at least 1: " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * Wrong secrets against one key id, from any address, that raise a
     * {@value ApiKeyAuthenticator#KEY_UNDER_ATTACK} alert; default {@value LockoutPolicy#DEFAULT_KEY_THRESHOLD},
     * 0 for no alerts. The key itself is never locked: its id is public, so a lock would be anyone's to aim
     * at its owner.
     *
     * @param keyThreshold 0 or more
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder keyThreshold(int keyThreshold) {
      if (keyThreshold < 0) {
        throw new IllegalArgumentException("keyThreshold must not be negative: " + keyThreshold);
      }
      this.keyThreshold = keyThreshold;
      return this;
    }

    /**
     * How long without a failure before the count decays; default 15 minutes. A longer window catches
     * slower guessing, and keeps each address in the store longer.
     *
     * @param window at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException when shorter than 1 ms
     */
    public Builder window(Duration window) {
      this.window = positive("window", window);
      return this;
    }

    /**
     * The first lockout; default one minute.
     *
     * @param baseLockout at least 1 ms, and not longer than the {@link #maxLockout max} ({@link #build} checks)
     * @return this builder
     * @throws IllegalArgumentException when shorter than 1 ms
     */
    public Builder baseLockout(Duration baseLockout) {
      this.baseLockout = positive("baseLockout", baseLockout);
      return this;
    }

    /**
     * The longest lockout; default one hour.
     *
     * @param maxLockout at least 1 ms, and not shorter than the {@link #baseLockout base} ({@link #build} checks)
     * @return this builder
     * @throws IllegalArgumentException when shorter than 1 ms
     */
    public Builder maxLockout(Duration maxLockout) {
      this.maxLockout = positive("maxLockout", maxLockout);
      return this;
    }

    /**
     * The policy.
     *
     * @return an immutable policy
     * @throws IllegalArgumentException when the maximum lockout is shorter than the base
     */
    public LockoutPolicy build() {
      if (maxLockout.compareTo(baseLockout) < 0) {
        throw new IllegalArgumentException("maxLockout " + maxLockout + " is shorter than baseLockout " + baseLockout);
      }
      return new LockoutPolicy(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1ms: " + d);
      }
      return d;
    }
  }
}
