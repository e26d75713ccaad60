package dev.f2p.core.spi;

import java.util.List;

/**
 * What an engine can run at once, device by device, declared by the engine: the one owner of capacity. A
 * {@link ResourceGuard} is built from it (never resized afterwards), so the host does no arithmetic and the
 * guard never admits more than the engine runs: the guard hands out at most {@link #slots(int)} leases on
 * each device, only on devices {@link #available(int) available} now, and names the device in
 * {@link Lease#device()}. A device is whatever the engine runs requests on: a GPU for an in-process engine,
 * a model server (an endpoint) for a remote one. Implementations are thread-safe; the device count and the
 * slots never change, availability and status are live.
 */
public interface CapacityPlan {
  /**
   * How many devices there are; indices run from {@code 0} to this minus one.
   *
   * @return at least 1
   */
  int devices();

  /**
   * How many requests the device accepts at once (its declared capacity).
   *
   * @param device the device index
   * @return at least 1
   */
  int slots(int device);

  /**
   * Whether the device may be given a lease now (for a server: ready, serving the right model, not ejected,
   * circuit not open). A guard skips devices that are not.
   *
   * @param device the device index
   * @return whether it is up now
   */
  boolean available(int device);

  /**
   * The device's name, safe to show operators and to put on events ({@code gpu0}, {@code host:port}).
   *
   * @param device the device index
   * @return its name
   */
  default String name(int device) {
    return status().get(device).name();
  }

  /**
   * Every device's health now, in index order, for health pages and metrics.
   *
   * @return one status per device
   */
  List<DeviceStatus> status();

  /**
   * All slots on all devices.
   *
   * @return the sum of {@link #slots(int)}
   */
  default int capacity() {
    int sum = 0;
    for (int d = 0; d < devices(); d++) {
      sum += slots(d);
    }
    return sum;
  }
}
