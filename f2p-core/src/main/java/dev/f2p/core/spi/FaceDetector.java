package dev.f2p.core.spi;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Finds frontal faces in decoded pixels, for the "one cropped face" check of an image validator.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface FaceDetector {
  /** The faces found; empty when none. */
  List<Face> detectFaces(BufferedImage image);
}
