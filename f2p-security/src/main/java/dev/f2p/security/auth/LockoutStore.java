package dev.f2p.security.auth;

import java.util.function.UnaryOperator;

/**
 * Where lockout state lives: in this JVM ({@link LocalLockoutStore}) or shared by every instance (Redis,
 * in {@code f2p-redis}). Subjects are {@code a:<address>} and {@code k:<key id>}. Implementations must be
 * thread-safe, bound how many subjects they keep, and may forget a subject once its state can no longer
 * lock anything.
 */
public interface LockoutStore {
  /** The subject's state, or {@link LockoutState#NONE}. Called before every authentication: keep it fast. */
  LockoutState get(String subject);

  /** Atomically replaces the subject's state with {@code update} applied to it; returns the new state. */
  LockoutState update(String subject, UnaryOperator<LockoutState> update);
}
