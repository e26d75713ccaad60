package dev.f2p.security.image;

import java.nio.charset.StandardCharsets;

/**
 * Finds another file hidden in an image: a script, HTML, PHP or PDF anywhere, a ZIP's central directory
 * ending at the end of the file, and any archive or document signature inside metadata (PNG ancillary
 * chunks, JPEG APP and COM segments). The whole-file signatures are five bytes or longer so that they do not
 * turn up by chance in compressed pixel data; the short ZIP signatures are only looked for in metadata.
 */
final class Polyglots {
  /**
   * Five bytes or more, looked for everywhere (a payload can sit in a stored deflate block of IDAT, or in
   * JPEG scan data): the chance of a match by accident in compressed data is about one in 100,000 for a
   * 200 KB photo, one in 2,000 at the 10 MB limit.
   */
  private static final byte[][] TEXT = ascii("<script", "<html", "<?php", "<iframe", "<!doctype", "<body",
      "%pdf-", "javascript:", "<object", "<embed");
  /** Shorter text signatures: only in metadata, where they cannot turn up by chance in compressed data. */
  private static final byte[][] SHORT_TEXT = ascii("<svg", "<%@", "<?=");
  private static final byte[][] METADATA_ONLY = {
      {'P', 'K', 3, 4}, {'P', 'K', 5, 6}, {'P', 'K', 1, 2}, {'P', 'K', 7, 8}, {'R', 'a', 'r', '!'},
      {'7', 'z', (byte) 0xBC, (byte) 0xAF}, {'M', 'Z', (byte) 0x90, 0}, {0x7F, 'E', 'L', 'F'}, {'#', '!', '/'}};
  private static final int ZIP_EOCD_SIZE = 22;

  private Polyglots() {}

  /** Whether the whole file carries a text signature or ends in a ZIP directory. */
  static boolean inFile(byte[] b) {
    return containsText(b, 0, b.length, TEXT) || endsInZip(b);
  }

  /** Whether a metadata region carries any signature, binary or text. */
  static boolean inMetadata(byte[] b, int from, int to) {
    if (containsText(b, from, to, TEXT) || containsText(b, from, to, SHORT_TEXT)) {
      return true;
    }
    for (int i = from; i < to; i++) {
      for (byte[] sig : METADATA_ONLY) {
        if (b[i] == sig[0] && matches(b, i, to, sig, false)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean containsText(byte[] b, int from, int to, byte[][] signatures) {
    for (int i = from; i < to; i++) {
      int c = b[i] | 0x20; // ASCII lower case for letters; '<' and '%' are unchanged by it
      if (c == '<' || c == '%' || c == 'j') {
        for (byte[] sig : signatures) {
          if (sig[0] == c && matches(b, i, to, sig, true)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean endsInZip(byte[] b) {
    // A ZIP is read from its end-of-central-directory record, which may sit up to 64 KiB of comment
    // before the end: one whose comment runs exactly to the end of this file makes it a ZIP too.
    int lowest = Math.max(0, b.length - ZIP_EOCD_SIZE - 0xFFFF);
    for (int i = b.length - ZIP_EOCD_SIZE; i >= lowest; i--) {
      if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 5 && b[i + 3] == 6
          && i + ZIP_EOCD_SIZE + Bytes.u16le(b, i + 20) == b.length) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] b, int at, int to, byte[] sig, boolean ignoreCase) {
    if (to - at < sig.length) {
      return false;
    }
    for (int k = 0; k < sig.length; k++) {
      int c = b[at + k];
      if (ignoreCase && c >= 'A' && c <= 'Z') {
        c |= 0x20;
      }
      if (c != sig[k]) {
        return false;
      }
    }
    return true;
  }

  private static byte[][] ascii(String... s) {
    byte[][] out = new byte[s.length][];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i].getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }
}
