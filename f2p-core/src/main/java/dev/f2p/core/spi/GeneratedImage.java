package dev.f2p.core.spi;

import java.util.Objects;
import java.awt.image.BufferedImage;

/**
 * What the engine made, before the output policy labels and encodes it.
 *
 * @param pixels the output pixels, RGB
 * @param modelId the id (name and version) of the model that made it
 */
public record GeneratedImage(BufferedImage pixels, String modelId) {
  /**
   * Nothing may be null.
   *
   * @param pixels the output pixels, RGB
   * @param modelId the id (name and version) of the model that made it
   */
  public GeneratedImage {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(modelId, "modelId");
  }
}
