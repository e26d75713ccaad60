package dev.f2p.security.image;

import dev.f2p.security.image.Problem.RefusedImage;
import java.util.zip.CRC32;

/**
 * Walks a PNG's chunks before any decoder sees it: every CRC checked (decoders skip them), IHDR first and
 * well-formed, no unknown critical chunk, no animation (APNG), IDAT present, IEND last with nothing after it, and no other file
 * hidden in an ancillary chunk. Linear in the file size, allocates nothing per chunk.
 */
final class PngStructure {
  private static final int SIGNATURE = 8;
  private static final int IHDR = type("IHDR");
  private static final int PLTE = type("PLTE");
  private static final int IDAT = type("IDAT");
  private static final int IEND = type("IEND");
  private static final int ACTL = type("acTL");

  private PngStructure() {}

  static void check(byte[] b) throws RefusedImage {
    int pos = SIGNATURE;
    boolean first = true;
    boolean sawIdat = false;
    boolean sawPlte = false;
    int colorType = -1;
    CRC32 crc = new CRC32();
    while (true) {
      if (b.length - pos < 12) {
        throw Problem.CORRUPT.refuse(); // truncated: no room for another chunk, IEND missing
      }
      long length = Bytes.u32be(b, pos);
      if (length > b.length - pos - 12L) {
        throw Problem.CORRUPT.refuse();
      }
      int len = (int) length;
      int typeAt = pos + 4;
      int dataAt = pos + 8;
      int type = (int) Bytes.u32be(b, typeAt);
      if (!isChunkType(b, typeAt)) {
        throw Problem.CORRUPT.refuse();
      }
      crc.reset();
      crc.update(b, typeAt, 4 + len);
      if (crc.getValue() != Bytes.u32be(b, dataAt + len)) {
        throw Problem.CORRUPT.refuse();
      }
      if (first != (type == IHDR)) {
        throw Problem.CORRUPT.refuse();
      }
      first = false;
      if (type == IHDR) {
        colorType = checkHeader(b, dataAt, len);
      } else if (type == PLTE) {
        sawPlte = true;
      } else if (type == IDAT) {
        sawIdat = true;
      } else if (type == IEND) {
        if (len != 0 || !sawIdat || (colorType == 3 && !sawPlte)) {
          throw Problem.CORRUPT.refuse();
        }
        if (dataAt + 4 != b.length) {
          throw Problem.POLYGLOT.refuse(); // bytes after IEND
        }
        return;
      } else if (type == ACTL) {
        throw Problem.FORMAT_NOT_ALLOWED.refuse(); // an animated PNG: one still photo only
      } else if (isCritical(b, typeAt)) {
        throw Problem.CORRUPT.refuse(); // an unknown critical chunk must not be skipped (PNG spec 5.4)
      } else if (Polyglots.inMetadata(b, dataAt, dataAt + len)) {
        throw Problem.POLYGLOT.refuse();
      }
      pos = dataAt + len + 4;
    }
  }

  /** Checks IHDR's fields; returns the colour type. */
  private static int checkHeader(byte[] b, int at, int len) throws RefusedImage {
    if (len != 13) {
      throw Problem.CORRUPT.refuse();
    }
    long width = Bytes.u32be(b, at);
    long height = Bytes.u32be(b, at + 4);
    int depth = b[at + 8] & 0xFF;
    int colorType = b[at + 9] & 0xFF;
    boolean depthOk = switch (colorType) {
      case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
      case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
      case 2, 4, 6 -> depth == 8 || depth == 16;
      default -> false;
    };
    if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE || !depthOk
        || b[at + 10] != 0 || b[at + 11] != 0 || (b[at + 12] & 0xFF) > 1) {
      throw Problem.CORRUPT.refuse();
    }
    return colorType;
  }

  private static boolean isChunkType(byte[] b, int at) {
    for (int i = at; i < at + 4; i++) {
      int c = b[i] | 0x20;
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }

  private static boolean isCritical(byte[] b, int at) {
    return (b[at] & 0x20) == 0;
  }

  private static int type(String name) {
    return (name.charAt(0) << 24) | (name.charAt(1) << 16) | (name.charAt(2) << 8) | name.charAt(3);
  }
}
