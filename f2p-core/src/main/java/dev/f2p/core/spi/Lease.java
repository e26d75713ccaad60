package dev.f2p.core.spi;

import java.time.Instant;

/**
 * Capacity granted by a {@link ResourceGuard} to one request: released exactly once, in {@code finally},
 * on every path. Closing twice has no further effect. Tell the guard how the engine did, so a circuit
 * breaker can count failures.
 */
public interface Lease extends AutoCloseable {
  /** When the request must be done; handed to the engine so it can stop in time. */
  Instant deadline();

  /** The engine finished this request. */
  default void engineSucceeded() {}

  /** The engine failed on this request (a fault, not a refusal). */
  default void engineFailed() {}

  /** Gives the capacity back. Idempotent; never throws. */
  @Override
  void close();
}
