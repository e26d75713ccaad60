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
  /** Until when {@code subject} is restricted, if it is at {@code now}; {@link Instant#MAX} for good. */
  Optional<Instant> restrictedUntil(IncidentTarget target, String subject, Instant now);

  /** The lockdown mode now. */
  LockdownMode lockdown();

  /**
   * Applies a change; once this returns, the next read sees it. Fails with an unchecked exception
   * (and changes nothing) when the change cannot be made durable or the store is full.
   */
  void apply(IncidentChange change);

  /** Tells {@code listener} of every change from now on, on the thread that applied or received it. */
  void addChangeListener(Consumer<IncidentChange> listener);

  /** Releases files or connections. Idempotent. */
  @Override
  default void close() {}
}
