package dev.f2p.core.spi;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Finds frontal faces in decoded pixels, for the "one cropped face" check of an image validator.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface FaceDetector {
  /**
   * Finds the faces in an image.
   *
   * @param image the validated pixels; must not be modified
   * @return the faces found; empty when none
   */
  List<Face> detectFaces(BufferedImage image);

  /**
   * An upper bound of the memory one {@link #detectFaces} call on a {@code width x height} image holds, so
   * an image validator can admit the call within its decode budget. The default assumes one full-size
   * copy at 4 bytes per pixel; a detector that downscales first should say less, one that keeps more
   * copies must say more.
   *
   * @param width the image's width in pixels
   * @param height the image's height in pixels
   * @return bytes, at least 0
   */
  default long workingBytes(int width, int height) {
    return 4L * width * height;
  }
}
