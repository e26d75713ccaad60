package dev.f2p.core.spi;

/**
 * A read-only snapshot of a {@link ResourceGuard}'s load, for metrics and health checks: taken at one
 * instant, so the three figures agree with each other.
 *
 * @param slotsInUse inferences running now
 * @param queueLength requests waiting for a slot now
 * @param devices devices the guard hands leases out on
 * @param slotsPerDevice leases at once per device: what an engine sized by the guard runs per device (the
 *     most on any one device when an engine's {@link CapacityPlan} gives devices different capacities)
 * @param capacity all slots on all devices
 */
public record GuardMetrics(int slotsInUse, int queueLength, int devices, int slotsPerDevice, int capacity) {
  /**
   * Metrics of a guard whose devices all have the same slots.
   *
   * @param slotsInUse inferences running now
   * @param queueLength requests waiting for a slot now
   * @param devices devices the guard hands leases out on
   * @param slotsPerDevice leases at once per device
   */
  public GuardMetrics(int slotsInUse, int queueLength, int devices, int slotsPerDevice) {
    this(slotsInUse, queueLength, devices, slotsPerDevice, devices * slotsPerDevice);
  }

  /**
   * Checks the figures.
   *
   * @param slotsInUse inferences running now
   * @param queueLength requests waiting for a slot now
   * @param devices devices the guard hands leases out on
   * @param slotsPerDevice leases at once per device (the most on any one device)
   * @param capacity all slots on all devices
   * @throws IllegalArgumentException when one is negative
   */
  public GuardMetrics {
    if (slotsInUse < 0 || queueLength < 0 || devices < 0 || slotsPerDevice < 0 || capacity < 0) {
      throw new IllegalArgumentException("guard metrics must not be negative: " + slotsInUse + ", " + queueLength
          + ", " + devices + ", " + slotsPerDevice);
    }
  }
}
