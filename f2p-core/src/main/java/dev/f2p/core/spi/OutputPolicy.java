package dev.f2p.core.spi;

import dev.f2p.core.internal.InMemoryImages;


/**
 * The last stage: labels, watermarks and checks what the engine made, then encodes it. Refuses with
 * {@link dev.f2p.core.ReasonCode#OUTPUT_REJECTED} (or {@link dev.f2p.core.ReasonCode#IMAGE_REJECTED} for
 * a listed picture) when it cannot release it. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface OutputPolicy {
  /**
   * Checks, marks and encodes an output.
   *
   * @param image what the engine made
   * @param context the request it answers
   * @return allowed with the encoded image, or the refusal
   */
  Decision<OutputImage> apply(GeneratedImage image, OutputContext context);

  /**
   * Encodes as PNG with no label, no watermark and no metadata. The default when no policy is set; the
   * client logs a warning that outputs leave unlabelled.
   *
   * @return the policy
   */
  static OutputPolicy plainPng() {
    return (image, context) -> Decision.allow(
        new OutputImage(InMemoryImages.png(image.pixels()), "image/png", image.pixels().getWidth(),
            image.pixels().getHeight()));
  }
}
