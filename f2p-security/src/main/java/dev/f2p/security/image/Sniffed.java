package dev.f2p.security.image;

import java.util.Optional;

/** What the first bytes of a file say it is; names and extensions are never trusted. */
enum Sniffed {
  PNG,
  JPEG,
  WEBP,
  /** Starts like a PNG (0x89 'P' 'N' 'G') but the rest of the signature is damaged. */
  DAMAGED_PNG,
  OTHER;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  static Sniffed of(byte[] b) {
    if (startsWith(b, PNG_SIGNATURE)) {
      return PNG;
    }
    if (b.length >= 4 && (b[0] & 0xFF) == 0x89 && (b[1] == 'P' || b[2] == 'N' || b[3] == 'G')) {
      return DAMAGED_PNG;
    }
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return JPEG;
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return WEBP;
    }
    return OTHER;
  }

  /** The allow-listable format this is, if any. */
  Optional<ImageFormat> format() {
    return switch (this) {
      case PNG -> Optional.of(ImageFormat.PNG);
      case JPEG -> Optional.of(ImageFormat.JPEG);
      case WEBP -> Optional.of(ImageFormat.WEBP);
      default -> Optional.empty();
    };
  }

  static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
