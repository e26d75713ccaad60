package dev.f2p.core.spi;

/**
 * Told after each inference step. Called on the inference thread: keep it fast; an exception it throws is
 * logged and ignored.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Listens to nothing. */
  ProgressListener NONE = (step, totalSteps) -> {};

  /**
   * @param step steps done so far, 1 to {@code totalSteps}
   * @param totalSteps steps in all
   */
  void onStep(int step, int totalSteps);
}
