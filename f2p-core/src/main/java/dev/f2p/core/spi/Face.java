package dev.f2p.core.spi;

/**
 * A face a {@link FaceDetector} found: its bounding box in pixels.
 *
 * @param x left edge
 * @param y top edge
 * @param width box width
 * @param height box height
 */
public record Face(int x, int y, int width, int height) {
  /**
   * The box must have a positive size.
   *
   * @param x left edge
   * @param y top edge
   * @param width box width
   * @param height box height
   */
  public Face {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("face box must have a positive size");
    }
  }

  /**
   * {@return the share of an image of the given size this face's box covers, 0 to 1}
   *
   * @param imageWidth the image's width in pixels
   * @param imageHeight the image's height in pixels
   */
  public double shareOf(int imageWidth, int imageHeight) {
    return Math.min(1.0, (double) width * height / ((double) imageWidth * imageHeight));
  }
}
