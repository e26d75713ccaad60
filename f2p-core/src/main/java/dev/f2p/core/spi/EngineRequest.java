package dev.f2p.core.spi;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the engine is asked to do, after every policy has passed: clean input pixels, the filtered prompt,
 * the edit parameters, the deadline and where to report progress.
 *
 * @param requestId the request's id, for logs
 * @param image the validated input pixels; do not modify
 * @param prompt the prompt as the prompt filter handed it on
 * @param negativePrompt the filtered negative prompt; empty when none
 * @param width output width
 * @param height output height
 * @param steps inference steps
 * @param guidanceScale classifier-free guidance scale
 * @param seed noise seed
 * @param deadline when the request must be done; stop between steps once it has passed
 * @param clock the clock the deadline is measured on
 * @param progress told after each step
 * @param device the device the resource guard granted ({@link Lease#device()}), empty when it chose none
 */
public record EngineRequest(
    String requestId,
    BufferedImage image,
    String prompt,
    String negativePrompt,
    int width,
    int height,
    int steps,
    double guidanceScale,
    long seed,
    Instant deadline,
    Clock clock,
    ProgressListener progress,
    OptionalInt device) {
  /**
   * A request with no device chosen by the guard.
   *
   * @param requestId the request's id, for logs
   * @param image the validated input pixels
   * @param prompt the filtered prompt
   * @param negativePrompt the filtered negative prompt
   * @param width output width
   * @param height output height
   * @param steps inference steps
   * @param guidanceScale guidance scale
   * @param seed noise seed
   * @param deadline when the request must be done
   * @param clock the clock the deadline is measured on
   * @param progress told after each step
   */
  public EngineRequest(String requestId, BufferedImage image, String prompt, String negativePrompt, int width,
      int height, int steps, double guidanceScale, long seed, Instant deadline, Clock clock,
      ProgressListener progress) {
    this(requestId, image, prompt, negativePrompt, width, height, steps, guidanceScale, seed, deadline, clock,
        progress, OptionalInt.empty());
  }

  /**
   * Checks the arguments.
   *
   * @param requestId the request's id, for logs
   * @param image the validated input pixels; do not modify
   * @param prompt the prompt as the prompt filter handed it on
   * @param negativePrompt the filtered negative prompt; empty when none
   * @param width output width
   * @param height output height
   * @param steps inference steps
   * @param guidanceScale classifier-free guidance scale
   * @param seed noise seed
   * @param deadline when the request must be done; stop between steps once it has passed
   * @param clock the clock the deadline is measured on
   * @param progress told after each step
   * @param device the device the resource guard granted ({@link Lease#device()}), empty when it chose none
   */
  public EngineRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(negativePrompt, "negativePrompt");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(device, "device");
    if (width <= 0 || height <= 0 || steps <= 0) {
      throw new IllegalArgumentException("width, height and steps must be positive");
    }
  }

  /** {@return whether the deadline has passed: an engine checks this between steps and stops with a timeout} */
  public boolean isPastDeadline() {
    return clock.instant().isAfter(deadline);
  }
}
