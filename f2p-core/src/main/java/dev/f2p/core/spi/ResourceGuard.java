package dev.f2p.core.spi;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;

/**
 * Is there room now: concurrency slots, a bounded queue, a cost budget, memory headroom, a closed
 * circuit. Admits with a {@link Lease} (always released by the pipeline) or refuses with
 * {@link dev.f2p.core.ReasonCode#OVERLOADED} and a retry-after. Must never wait longer than its
 * configured maximum. Implementations must be thread-safe.
 *
 * <p>Capacity has one owner, fixed at construction: the engine declares it
 * ({@link ImageEditEngine#capacityPlan()}) and the guard is built from that plan
 * ({@link ResourceGuardProvider#create(PolicySettings, ImageEditEngine)}), never resized afterwards. A guard
 * that admits more at once than the engine declares is refused by the client's builder.
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
