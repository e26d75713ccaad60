package dev.f2p.security.auth;

import java.util.function.UnaryOperator;

/**
 * Where lockout state lives: in this JVM ({@link LocalLockoutStore}) or shared by every instance (Redis,
 * in {@code f2p-redis}). Subjects are {@code a:<address>} and {@code k:<key id>}. Implementations must be
 * thread-safe, bound how many subjects they keep, and may forget a subject once its state can no longer
 * lock anything.
 */
public interface LockoutStore {
  /**
   * The subject's state. Called before every authentication: keep it fast.
   *
   * @param subject {@code a:<address>} or {@code k:<key id>}
   * @return its state, or {@link LockoutState#NONE} for a subject not (or no longer) tracked
   */
  LockoutState get(String subject);

  /**
   * Atomically replaces the subject's state with {@code update} applied to it. Called after a failed
   * authentication only.
   *
   * @param subject {@code a:<address>} or {@code k:<key id>}
   * @param update a pure function of the current state (usually {@link LockoutPolicy#onFailure}); a store
   *     may call it more than once when it retries
   * @return the new state
   */
  LockoutState update(String subject, UnaryOperator<LockoutState> update);
}
