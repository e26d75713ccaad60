package dev.f2p.security.auth;

/**
 * Failed authentications of one subject (an address or a key id), as a {@link LockoutStore} keeps them.
 * Immutable; {@link LockoutPolicy#onFailure} computes the next state, so a store only has to swap it
 * atomically.
 *
 * @param failures failures counted since the count last decayed
 * @param level how many lockouts this subject has had in a row; each doubles the next
 * @param lastFailureMillis when the last failure happened (epoch milliseconds)
 * @param lockedUntilMillis until when the subject is locked out (epoch milliseconds; 0 if never)
 */
public record LockoutState(int failures, int level, long lastFailureMillis, long lockedUntilMillis) {
  /** A subject with no failures. */
  public static final LockoutState NONE = new LockoutState(0, 0, 0, 0);

  /**
   * Whether the subject is locked out at {@code nowMillis}.
   *
   * @param nowMillis the time asked about, epoch milliseconds
   * @return true before {@code lockedUntilMillis}, false from it on
   */
  public boolean isLockedAt(long nowMillis) {
    return nowMillis < lockedUntilMillis;
  }
}
