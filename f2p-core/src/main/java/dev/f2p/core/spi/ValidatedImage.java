package dev.f2p.core.spi;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * An image an {@link ImageValidator} accepted: decoded, orientation-normalised pixels with no metadata
 * left (no EXIF, XMP, ICC profile or text chunk survives decoding), and the format the bytes were.
 *
 * <p>The pixels are shared, not copied: stages after validation must not modify them.
 *
 * @param pixels decoded pixels, RGB
 * @param format the detected format, such as {@code PNG} or {@code JPEG}
 */
public record ValidatedImage(BufferedImage pixels, String format) {
  /**
   * Nothing may be null.
   *
   * @param pixels decoded pixels, RGB
   * @param format the detected format, such as {@code PNG} or {@code JPEG}
   */
  public ValidatedImage {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(format, "format");
  }

  /** {@return the width in pixels} */
  public int width() {
    return pixels.getWidth();
  }

  /** {@return the height in pixels} */
  public int height() {
    return pixels.getHeight();
  }
}
