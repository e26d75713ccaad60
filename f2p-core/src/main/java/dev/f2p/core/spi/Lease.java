package dev.f2p.core.spi;

import java.time.Instant;

/**
 * Capacity granted by a {@link ResourceGuard} to one request: released exactly once, in {@code finally},
 * on every path. Closing twice has no further effect. Tell the guard how the engine did, so a circuit
 * breaker can count failures.
 */
public interface Lease extends AutoCloseable {
  /** {@return when the request must be done; handed to the engine so it can stop in time} */
  Instant deadline();

  /** The engine finished this request. */
  default void engineSucceeded() {}

  /**
   * The device the guard granted this lease on (an index, {@code 0} to its device count minus one), for a
   * guard that counts devices: the engine runs the request there, so the guard alone owns capacity. A device
   * is a GPU for an in-process engine, a model server for a remote one (see {@link CapacityPlan}).
   *
   * @return the device index, or empty when the guard does not choose devices
   */
  default java.util.OptionalInt device() {
    return java.util.OptionalInt.empty();
  }

  /** The engine failed on this request (a fault, not a refusal). */
  default void engineFailed() {}

  /** Gives the capacity back. Idempotent; never throws. */
  @Override
  void close();
}
