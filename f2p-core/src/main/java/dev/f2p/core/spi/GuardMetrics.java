package dev.f2p.core.spi;

/**
 * A read-only snapshot of a {@link ResourceGuard}'s load, for metrics and health checks: taken at one
 * instant, so the three figures agree with each other.
 *
 * @param slotsInUse inferences running now
 * @param queueLength requests waiting for a slot now
 * @param capacity all slots on all devices
 */
public record GuardMetrics(int slotsInUse, int queueLength, int capacity) {
  /**
   * Checks the figures.
   *
   * @throws IllegalArgumentException when one is negative
   */
  public GuardMetrics {
    if (slotsInUse < 0 || queueLength < 0 || capacity < 0) {
      throw new IllegalArgumentException("guard metrics must not be negative: " + slotsInUse + ", " + queueLength
          + ", " + capacity);
    }
  }
}
