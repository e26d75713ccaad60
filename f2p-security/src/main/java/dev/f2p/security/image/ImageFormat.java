package dev.f2p.security.image;

import java.util.EnumSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** The image formats a {@link StandardImageValidator} can be allowed to accept. Immutable, thread-safe. */
public enum ImageFormat {
  JPEG,
  PNG,
  /** Accepted only when an ImageIO WebP reader is on the class path (the JDK has none). */
  WEBP;

  /** Whether this JVM can decode the format. */
  public boolean isDecodable() {
    return ImageIO.getImageReadersByFormatName(name().toLowerCase(java.util.Locale.ROOT)).hasNext();
  }

  /** JPEG and PNG, plus WebP when a decoder for it is on the class path. */
  public static Set<ImageFormat> defaults() {
    Set<ImageFormat> formats = EnumSet.of(JPEG, PNG);
    if (WEBP.isDecodable()) {
      formats.add(WEBP);
    }
    return Set.copyOf(formats);
  }
}
