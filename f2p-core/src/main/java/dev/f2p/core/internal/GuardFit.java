package dev.f2p.core.internal;

import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.GuardMetrics;
import java.util.Optional;

/**
 * Whether a resource guard admits no more at once than the engine declares it runs: a guard larger than the
 * engine's {@link CapacityPlan} would let requests queue inside the engine, behind the guard's back, where no
 * deadline, fairness or refusal applies. A smaller guard is fine (the engine idles a little). Stateless.
 */
public final class GuardFit {
  private GuardFit() {}

  /**
   * What is too large, if anything: more devices than the plan, more slots in all, or (for a guard whose
   * devices all have the same slots) more slots on one device than the plan gives that device.
   *
   * @param guard the guard's shape ({@link dev.f2p.core.spi.ResourceGuard#metrics()})
   * @param plan the engine's declared capacity
   * @return a sentence saying what exceeds the plan, or empty when the guard fits
   */
  public static Optional<String> problem(GuardMetrics guard, CapacityPlan plan) {
    String engine = plan.capacity() + " at once on " + plan.devices() + " device(s)";
    if (guard.devices() > plan.devices() || guard.capacity() > plan.capacity()) {
      return Optional.of("the resource guard admits " + guard.capacity() + " at once on " + guard.devices()
          + " device(s) but the engine declares " + engine);
    }
    boolean uniform = guard.capacity() == guard.devices() * guard.slotsPerDevice();
    for (int d = 0; uniform && d < guard.devices(); d++) {
      if (guard.slotsPerDevice() > plan.slots(d)) {
        return Optional.of("the resource guard admits " + guard.slotsPerDevice() + " at once on device " + d
            + " but the engine declares " + plan.slots(d) + " there (" + engine + ")");
      }
    }
    return Optional.empty();
  }
}
