package dev.f2p.security.incident;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where incident state lives: revoked keys, suspended principals, blocked addresses and the lockdown
 * mode. Reads are on every request's path and must be cheap; a change is durable (as far as the store
 * promises) when {@link #apply} returns, and every change, local or made by another instance sharing
 * the store, is announced to the change listeners.
 *
 * <p>Implementations: {@link InMemoryIncidentStore} (one process, lost on restart),
 * {@link FileIncidentStore} (one process, survives restarts and torn writes); a shared store (Redis)
 * lets several instances of a host enforce the same state. Implementations must be thread-safe.
 */
public interface IncidentStore extends AutoCloseable {
  /**
   * Until when {@code subject} is restricted, if it is at {@code now}. Called on every request: must
   * not block on I/O.
   *
   * @param target what kind of subject it is
   * @param subject the principal id, key id or address, as the restriction named it
   * @param now the time to check at; a restriction that ended at or before it does not count
   * @return the end of the restriction, {@link Instant#MAX} for good (a revocation); empty when the
   *     subject is not restricted at {@code now}
   */
  Optional<Instant> restrictedUntil(IncidentTarget target, String subject, Instant now);

  /**
   * The lockdown mode now. Called on every request: must not block on I/O.
   *
   * @return the current mode; {@link LockdownMode#OFF} when none was ever applied
   */
  LockdownMode lockdown();

  /**
   * Applies a change; once this returns, the next read sees it. Fails with an unchecked exception
   * (and changes nothing) when the change cannot be made durable or the store is full.
   *
   * @param change the change to make durable, apply and announce
   */
  void apply(IncidentChange change);

  /**
   * Tells {@code listener} of every change from now on, on the thread that applied or received it.
   *
   * @param listener called once per change after it is applied, on a thread that may be serving a
   *     request or a store's I/O: it must be fast. What it throws is logged and ignored: the change stands
   *     and the other listeners are still told.
   */
  void addChangeListener(Consumer<IncidentChange> listener);

  /** Releases files or connections. Idempotent. */
  @Override
  default void close() {}
}
