package dev.f2p.security.image;

import java.util.EnumSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** The image formats a {@link StandardImageValidator} can be allowed to accept. Immutable, thread-safe. */
public enum ImageFormat {
  /** Baseline and progressive JPEG (JFIF, Exif); the JDK decodes it. */
  JPEG,
  /** PNG; the JDK decodes it. */
  PNG,
  /** Accepted only when an ImageIO WebP reader is on the class path (the JDK has none). */
  WEBP;

  /**
   * Whether this JVM can decode the format: a builder refuses a format it cannot decode rather than
   * reject every such image later.
   *
   * @return true when an ImageIO reader for it is registered
   */
  public boolean isDecodable() {
    return ImageIO.getImageReadersByFormatName(name().toLowerCase(java.util.Locale.ROOT)).hasNext();
  }

  /**
   * The formats a validator accepts unless told otherwise: JPEG and PNG, plus WebP when a decoder for it
   * is on the class path.
   *
   * @return an immutable set
   */
  public static Set<ImageFormat> defaults() {
    Set<ImageFormat> formats = EnumSet.of(JPEG, PNG);
    if (WEBP.isDecodable()) {
      formats.add(WEBP);
    }
    return Set.copyOf(formats);
  }
}
