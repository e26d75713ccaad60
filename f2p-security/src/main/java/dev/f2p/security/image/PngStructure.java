package dev.f2p.security.image;

import dev.f2p.security.image.Problem.RefusedImage;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Walks a PNG's chunks before any decoder sees it: every CRC checked (decoders skip them), IHDR first and
 * well-formed, no unknown critical chunk, no animation (APNG), IDAT present, IEND last with nothing after it, and no other file
 * hidden in an ancillary chunk; at most {@value #MAX_CHUNKS} chunks, of which at most
 * {@value #MAX_ANCILLARY_CHUNKS} ancillary ones carrying at most {@value #MAX_ANCILLARY_BYTES} bytes together
 * ({@code TOO_COMPLEX}), counted before a chunk's data is looked at. Linear in the file size, allocates
 * nothing per chunk.
 */
final class PngStructure {
  private static final int SIGNATURE = 8;
  private static final int IHDR = type("IHDR");
  private static final int PLTE = type("PLTE");
  private static final int IDAT = type("IDAT");
  private static final int IEND = type("IEND");
  private static final int ACTL = type("acTL");
  private static final int ICCP = type("iCCP");
  /** Largest ICC profile inflated from iCCP: 1 MiB (real ones are a few KB; more is a zip bomb). */
  static final int MAX_ICC_BYTES = 1 << 20;
  /**
   * Most chunks in a file: {@value}. An encoder writing one IDAT per row of a 4096-row image stays under
   * it; libpng's 8 KiB IDATs reach it only at 64 MiB.
   */
  static final int MAX_CHUNKS = 8192;
  /** Most ancillary chunks (text, time, colour, physical size...): {@value}; a photo has a handful. */
  static final int MAX_ANCILLARY_CHUNKS = 64;
  /** Most bytes of ancillary chunk data together: 1 MiB, room for a large ICC profile and XMP. */
  static final int MAX_ANCILLARY_BYTES = 1 << 20;

  private PngStructure() {}

  /**
   * Checks the structure; returns the RGB colour profile of an iCCP chunk, if any and usable (the JDK's
   * PNG decoder ignores it, so the validator applies it).
   */
  static Optional<ICC_Profile> check(byte[] b) throws RefusedImage {
    Optional<ICC_Profile> profile = Optional.empty();
    int pos = SIGNATURE;
    boolean first = true;
    boolean sawIdat = false;
    boolean sawPlte = false;
    int colorType = -1;
    int chunks = 0;
    int ancillary = 0;
    long ancillaryBytes = 0;
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
      if (++chunks > MAX_CHUNKS) {
        throw Problem.TOO_COMPLEX.refuse();
      }
      if (!isCritical(b, typeAt)
          && (++ancillary > MAX_ANCILLARY_CHUNKS || (ancillaryBytes += len) > MAX_ANCILLARY_BYTES)) {
        throw Problem.TOO_COMPLEX.refuse();
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
        return profile;
      } else if (type == ICCP) {
        profile = iccProfile(b, dataAt, dataAt + len);
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

  /** The profile in an iCCP chunk (name, NUL, method 0, zlib data); empty when unusable or not RGB. */
  private static Optional<ICC_Profile> iccProfile(byte[] b, int from, int to) throws RefusedImage {
    int nul = from;
    while (nul < to && nul - from < 80 && b[nul] != 0) {
      nul++;
    }
    if (nul >= to - 1 || b[nul] != 0 || b[nul + 1] != 0) {
      throw Problem.CORRUPT.refuse();
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(b, nul + 2, to - nul - 2);
      byte[] out = new byte[MAX_ICC_BYTES + 1];
      int n = 0;
      while (!inflater.finished() && n < out.length) {
        int k = inflater.inflate(out, n, out.length - n);
        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw Problem.CORRUPT.refuse();
        }
        n += k;
      }
      if (!inflater.finished()) {
        throw Problem.CORRUPT.refuse(); // larger than any real profile
      }
      ICC_Profile profile = ICC_Profile.getInstance(java.util.Arrays.copyOf(out, n));
      return profile.getColorSpaceType() == ColorSpace.TYPE_RGB ? Optional.of(profile) : Optional.empty();
    } catch (DataFormatException e) {
      throw Problem.CORRUPT.refuse();
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a profile the JDK can use: the pixels are taken as sRGB
    } finally {
      inflater.end();
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
