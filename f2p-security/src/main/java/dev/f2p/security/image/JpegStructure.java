package dev.f2p.security.image;

import dev.f2p.security.image.Problem.RefusedImage;

/**
 * Walks a JPEG's segments before any decoder sees it: lengths within the file, a frame header before the
 * first scan, EOI present with nothing after it, no other file hidden in an APP or COM segment. Reads the
 * EXIF orientation on the way (0 when absent or unreadable: orientation is cosmetic, and the EXIF block is
 * dropped with the rest of the metadata anyway). At most {@value #MAX_SEGMENTS} segments, {@value #MAX_SCANS}
 * scans (each progressive scan makes the decoder pass over the whole image again) and
 * {@value #MAX_METADATA_SEGMENTS} APP or COM segments carrying at most {@value #MAX_METADATA_BYTES} bytes
 * together ({@code TOO_COMPLEX}), counted before a segment's data is looked at. Linear in the file size.
 */
final class JpegStructure {
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;
  private static final int APP1 = 0xE1;
  private static final int COM = 0xFE;
  private static final int ORIENTATION_TAG = 0x0112;
  /** Most marker segments: {@value}; a progressive photo has a few dozen. */
  static final int MAX_SEGMENTS = 1024;
  /** Most scans: {@value}; progressive encoders write about ten. */
  static final int MAX_SCANS = 64;
  /** Most APP and COM segments: {@value}; EXIF, XMP, ICC and a few vendor blocks. */
  static final int MAX_METADATA_SEGMENTS = 64;
  /** Most bytes of APP and COM segments together: 1 MiB, room for EXIF with a thumbnail, XMP and ICC. */
  static final int MAX_METADATA_BYTES = 1 << 20;

  private JpegStructure() {}

  /** Checks the structure; returns the EXIF orientation (1 to 8), or 1 when there is none. */
  static int check(byte[] b) throws RefusedImage {
    int pos = 2;
    int orientation = 1;
    boolean sawFrame = false;
    int segments = 0;
    int scans = 0;
    int metadata = 0;
    long metadataBytes = 0;
    while (true) {
      if (pos >= b.length - 1 || (b[pos] & 0xFF) != 0xFF) {
        throw Problem.CORRUPT.refuse(); // truncated before EOI, or garbage between segments
      }
      while (pos < b.length - 1 && (b[pos + 1] & 0xFF) == 0xFF) {
        pos++; // fill bytes
      }
      if (pos >= b.length - 1) {
        throw Problem.CORRUPT.refuse();
      }
      int marker = b[pos + 1] & 0xFF;
      pos += 2;
      if (marker == EOI) {
        if (!sawFrame) {
          throw Problem.CORRUPT.refuse();
        }
        if (pos != b.length) {
          throw Problem.POLYGLOT.refuse(); // bytes after EOI
        }
        return orientation;
      }
      if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
        continue; // standalone markers
      }
      if (marker == SOI || marker == 0x00 || pos + 2 > b.length) {
        throw Problem.CORRUPT.refuse();
      }
      int len = Bytes.u16be(b, pos);
      if (len < 2 || pos + len > b.length) {
        throw Problem.CORRUPT.refuse();
      }
      int dataAt = pos + 2;
      int dataEnd = pos + len;
      boolean isMetadata = (marker >= 0xE0 && marker <= 0xEF) || marker == COM;
      if (++segments > MAX_SEGMENTS || (marker == SOS && ++scans > MAX_SCANS)
          || (isMetadata && (++metadata > MAX_METADATA_SEGMENTS || (metadataBytes += len) > MAX_METADATA_BYTES))) {
        throw Problem.TOO_COMPLEX.refuse();
      }
      if (isFrame(marker)) {
        sawFrame = true;
      } else if (isMetadata) {
        if (marker == APP1 && orientation == 1) {
          orientation = exifOrientation(b, dataAt, dataEnd);
        }
        if (Polyglots.inMetadata(b, dataAt, dataEnd)) {
          throw Problem.POLYGLOT.refuse();
        }
      }
      pos = dataEnd;
      if (marker == SOS) {
        if (!sawFrame) {
          throw Problem.CORRUPT.refuse();
        }
        pos = endOfEntropyData(b, pos);
      }
    }
  }

  private static boolean isFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  /** The position of the first marker after entropy-coded data (stuffed 0xFF00 and RSTn belong to it). */
  private static int endOfEntropyData(byte[] b, int pos) {
    int i = pos;
    while (i < b.length - 1) {
      if ((b[i] & 0xFF) == 0xFF) {
        int next = b[i + 1] & 0xFF;
        if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7)) {
          return i;
        }
        i += 2;
      } else {
        i++;
      }
    }
    return b.length;
  }

  /** Orientation from an APP1 "Exif" block's IFD0; 1 when absent or malformed. */
  static int exifOrientation(byte[] b, int from, int to) {
    if (to - from < 14 || b[from] != 'E' || b[from + 1] != 'x' || b[from + 2] != 'i' || b[from + 3] != 'f'
        || b[from + 4] != 0 || b[from + 5] != 0) {
      return 1;
    }
    int tiff = from + 6;
    boolean little;
    if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
      little = true;
    } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    long ifd = little ? Bytes.u32le(b, tiff + 4) : Bytes.u32be(b, tiff + 4);
    if (ifd < 8 || ifd > to - tiff - 2) {
      return 1;
    }
    int at = tiff + (int) ifd;
    int count = little ? Bytes.u16le(b, at) : Bytes.u16be(b, at);
    at += 2;
    for (int e = 0; e < count && at + 12 <= to; e++, at += 12) {
      int tag = little ? Bytes.u16le(b, at) : Bytes.u16be(b, at);
      if (tag == ORIENTATION_TAG) {
        int value = little ? Bytes.u16le(b, at + 8) : Bytes.u16be(b, at + 8);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }
}
