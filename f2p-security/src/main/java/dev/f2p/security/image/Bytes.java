package dev.f2p.security.image;

/** Big- and little-endian reads with the bounds checked by the caller. */
final class Bytes {
  private Bytes() {}

  static int u16be(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  static int u16le(byte[] b, int at) {
    return ((b[at + 1] & 0xFF) << 8) | (b[at] & 0xFF);
  }

  static long u32be(byte[] b, int at) {
    return ((long) u16be(b, at) << 16) | u16be(b, at + 2);
  }

  static long u32le(byte[] b, int at) {
    return ((long) u16le(b, at + 2) << 16) | u16le(b, at);
  }
}
