package dev.f2p.core.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One device's health at a moment (a GPU, or a model server for a remote engine), for health pages and
 * metrics. Immutable.
 *
 * @param index its index in the {@link CapacityPlan}, as {@link Lease#device()} names it
 * @param name a name safe to show operators, such as {@code gpu0} or {@code host:port}
 * @param up whether requests go there now
 * @param inFlight requests running there now
 * @param capacity its declared capacity (requests at once)
 * @param ejections how many times it was taken out of rotation since the engine started
 * @param lastLatency how long its last successful request took; zero before the first
 */
public record DeviceStatus(int index, String name, boolean up, int inFlight, int capacity, long ejections,
    Duration lastLatency) {
  /**
   * Checks the figures.
   *
   * @param index its index in the {@link CapacityPlan}, as {@link Lease#device()} names it
   * @param name a name safe to show operators, such as {@code gpu0} or {@code host:port}
   * @param up whether requests go there now
   * @param inFlight requests running there now
   * @param capacity its declared capacity (requests at once)
   * @param ejections how many times it was taken out of rotation since the engine started
   * @param lastLatency how long its last successful request took; zero before the first
   */
  public DeviceStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lastLatency, "lastLatency");
    if (index < 0 || inFlight < 0 || capacity < 0 || ejections < 0) {
      throw new IllegalArgumentException("device status figures must not be negative");
    }
  }
}
