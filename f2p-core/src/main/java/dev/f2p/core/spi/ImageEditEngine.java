package dev.f2p.core.spi;

import java.util.OptionalLong;

/**
 * Runs the model. Called only for requests every policy allowed, while a {@link Lease} is held, on the
 * caller's thread. Faults are {@link EngineException}s; the engine must stop between steps once the
 * request is past its deadline. Implementations must be thread-safe.
 */
public interface ImageEditEngine extends AutoCloseable {
  /**
   * Makes the edited image.
   *
   * @param request the allowed request, its deadline and its device
   * @return the output pixels and the model's id
   * @throws EngineException on a fault, a passed deadline or a busy server
   */
  GeneratedImage edit(EngineRequest request) throws EngineException;

  /** {@return the id (name and version) of the loaded model} */
  String modelId();

  /** {@return whether the engine can take requests now (loaded, verified, not tampered with)} */
  default boolean isAvailable() {
    return true;
  }

  /**
   * Free memory on the engine's devices in bytes (the least free of them), when the engine knows it.
   *
   * @return the free bytes, or empty when unknown (a CPU device, no driver): a guard's floor cannot apply
   */
  default OptionalLong freeDeviceMemoryBytes() {
    return OptionalLong.empty();
  }

  /**
   * The engine's capacity, device by device, when it declares one: the one owner of capacity. The client
   * builds its resource guard from it ({@link ResourceGuardProvider#create(PolicySettings, ImageEditEngine)},
   * or a default guard when none is given), so the guard never admits more at once than the engine runs and
   * each lease names the device ({@link Lease#device()}) the engine then runs the request on; health pages
   * read {@link CapacityPlan#status()}. The plan's devices and slots never change.
   *
   * @return the plan, or empty when the engine declares none (the guard's own settings size it)
   */
  default java.util.Optional<CapacityPlan> capacityPlan() {
    return java.util.Optional.empty();
  }

  /** Frees the model and its native memory. */
  @Override
  default void close() {}
}
