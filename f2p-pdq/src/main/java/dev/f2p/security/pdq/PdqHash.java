package dev.f2p.security.pdq;

import java.util.Locale;
import java.util.Objects;

/**
 * A 256-bit PDQ hash. Bit {@code k} (0..255) is DCT coefficient {@code (k / 16, k % 16)}; the hex form is
 * PDQ's own: 64 hex digits, the 256-bit number whose bit {@code k} is hash bit {@code k}, most significant
 * digit first (so the first four digits are bits 255..240). Hashes written by Meta's reference
 * implementations parse to the same bits. Immutable and thread-safe.
 */
public final class PdqHash {
  /** Bits in a PDQ hash. */
  public static final int BITS = 256;
  /** Characters in the hex form. */
  public static final int HEX_LENGTH = 64;

  // w[0] holds bits 0..63, w[3] bits 192..255.
  private final long w0;
  private final long w1;
  private final long w2;
  private final long w3;

  PdqHash(long w0, long w1, long w2, long w3) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /**
   * Parses PDQ's hex form (64 hex digits, either case).
   *
   * @param hex the 64 hex digits, with no prefix or white space
   * @return the hash
   * @throws IllegalArgumentException if {@code hex} is not exactly 64 hex digits
   */
  public static PdqHash fromHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != HEX_LENGTH) {
      throw new IllegalArgumentException("a PDQ hash is 64 hex digits, got " + hex.length() + " characters");
    }
    for (int i = 0; i < HEX_LENGTH; i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        throw new IllegalArgumentException("a PDQ hash is 64 hex digits; not a hex digit at index " + i);
      }
    }
    return new PdqHash(
        Long.parseUnsignedLong(hex, 48, 64, 16),
        Long.parseUnsignedLong(hex, 32, 48, 16),
        Long.parseUnsignedLong(hex, 16, 32, 16),
        Long.parseUnsignedLong(hex, 0, 16, 16));
  }

  /**
   * A hash from its four 64-bit words, as {@link #word} gives them: a compact binary form for stores
   * that keep hashes as numbers.
   *
   * @param bits0to63 word 0: bit {@code k} of the hash is bit {@code k} of this long
   * @param bits64to127 word 1
   * @param bits128to191 word 2
   * @param bits192to255 word 3
   * @return the hash
   */
  public static PdqHash ofWords(long bits0to63, long bits64to127, long bits128to191, long bits192to255) {
    return new PdqHash(bits0to63, bits64to127, bits128to191, bits192to255);
  }

  /**
   * The word holding bits {@code 64 * index} to {@code 64 * index + 63}, hash bit {@code 64 * index}
   * as its least significant bit.
   *
   * @param index 0..3
   * @return the word
   * @throws IndexOutOfBoundsException when {@code index} is out of range
   */
  public long word(int index) {
    return switch (index) {
      case 0 -> w0;
      case 1 -> w1;
      case 2 -> w2;
      case 3 -> w3;
      default -> throw new IndexOutOfBoundsException("word index 0..3: " + index);
    };
  }

  /**
   * Whether bit {@code k} is set: DCT coefficient {@code (k / 16, k % 16)} is above the median.
   *
   * @param k 0..255
   * @return whether the bit is set
   * @throws IndexOutOfBoundsException when {@code k} is out of range
   */
  public boolean bit(int k) {
    if (k < 0 || k >= BITS) {
      throw new IndexOutOfBoundsException("bit index 0..255: " + k);
    }
    return (word(k >>> 6) >>> (k & 63) & 1L) != 0;
  }

  /**
   * The Hamming distance: the number of bits in which the two hashes differ. Symmetric; constant time.
   *
   * @param other the other hash
   * @return 0 (the same hash) to 256
   */
  public int distance(PdqHash other) {
    return Long.bitCount(w0 ^ other.w0) + Long.bitCount(w1 ^ other.w1)
        + Long.bitCount(w2 ^ other.w2) + Long.bitCount(w3 ^ other.w3);
  }

  /**
   * The number of set bits. PDQ sets the bits above the median coefficient, so a hash computed from a
   * picture has 128, or fewer where coefficients tie (flat pictures).
   *
   * @return 0 to 256
   */
  public int bitCount() {
    return Long.bitCount(w0) + Long.bitCount(w1) + Long.bitCount(w2) + Long.bitCount(w3);
  }

  /**
   * PDQ's hex form, as {@link #fromHex} reads it and hash lists hold it.
   *
   * @return 64 lower-case hex digits
   */
  public String toHex() {
    return hex16(w3) + hex16(w2) + hex16(w1) + hex16(w0);
  }

  private static String hex16(long word) {
    String s = Long.toHexString(word);
    return "0".repeat(16 - s.length()) + s.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PdqHash h && w0 == h.w0 && w1 == h.w1 && w2 == h.w2 && w3 == h.w3;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(w0) * 31 * 31 * 31 + Long.hashCode(w1) * 31 * 31 + Long.hashCode(w2) * 31
        + Long.hashCode(w3);
  }

  /** The hex form. */
  @Override
  public String toString() {
    return toHex();
  }
}
