package dev.f2p.core.spi;

import java.util.OptionalLong;

/**
 * Runs the model. Called only for requests every policy allowed, while a {@link Lease} is held, on the
 * caller's thread. Faults are {@link EngineException}s; the engine must stop between steps once the
 * request is past its deadline. Implementations must be thread-safe.
 */
public interface ImageEditEngine extends AutoCloseable {
  GeneratedImage edit(EngineRequest request) throws EngineException;

  /** The id (name and version) of the loaded model. */
  String modelId();

  /** Whether the engine can take requests now (loaded, verified, not tampered with). */
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

  /** Frees the model and its native memory. */
  @Override
  default void close() {}
}
