package dev.f2p.core.spi;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;

/**
 * Is there room now: concurrency slots, a bounded queue, a cost budget, memory headroom, a closed
 * circuit. Admits with a {@link Lease} (always released by the pipeline) or refuses with
 * {@link dev.f2p.core.ReasonCode#OVERLOADED} and a retry-after. Must never wait longer than its
 * configured maximum. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ResourceGuard {
  /**
   * Admits a request to a device, or refuses.
   *
   * @param principal the authorized caller
   * @param request what it asks for; its size and steps are its cost
   * @return allowed with a lease to release, or the refusal
   */
  Decision<Lease> acquire(Principal principal, EditRequest request);

  /**
   * The guard's load now, for metrics; read-only. Empty for a guard that keeps no slots (the default).
   *
   * @return a snapshot of slots in use, queue length and capacity, or empty
   */
  default java.util.Optional<GuardMetrics> metrics() {
    return java.util.Optional.empty();
  }

  /**
   * Takes the engine's declared capacity as the guard's slots: leases only on {@link CapacityPlan#available
   * available} devices, at most {@link CapacityPlan#slots} on each, each lease naming its device. Called once,
   * before the first request, by whoever wires the engine to the guard (the engine's provider when both are
   * built from settings).
   *
   * @param plan the engine's plan
   * @return whether the guard adopted it; {@code false} for a guard that keeps no slots (the default)
   * @throws IllegalStateException when the guard's slots were configured explicitly, a plan was adopted
   *     already, or a lease was already granted
   */
  default boolean adopt(CapacityPlan plan) {
    return false;
  }

  /**
   * The circuit breaker's state now, for health checks; read-only. Empty for a guard without a breaker
   * (the default).
   *
   * @return the breaker's state, or empty
   */
  default java.util.Optional<BreakerState> breakerState() {
    return java.util.Optional.empty();
  }

  /**
   * Admits everything with a deadline of {@code timeout} from now: no slots, no queue. Only for hosts
   * that bound capacity elsewhere, chosen explicitly.
   *
   * @param timeout each lease's deadline from its grant; positive
   * @param clock the clock the deadlines read
   * @return the guard
   */
  static ResourceGuard unguarded(java.time.Duration timeout, java.time.Clock clock) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return (principal, request) -> {
      java.time.Instant deadline = clock.instant().plus(timeout);
      return Decision.allow(new Lease() {
        @Override
        public java.time.Instant deadline() {
          return deadline;
        }

        @Override
        public void close() {}
      });
    };
  }
}
