package dev.f2p.security.pdq;

/**
 * The eight rotations and flips of a picture, in PDQ's order. PDQ derives the hash of each from the DCT
 * of the original alone ({@link PdqHasher#dihedral}): a flip changes the sign of every other coefficient
 * along its axis, a transpose swaps the axes, so no second pass over the pixels is needed.
 */
public enum PdqDihedral {
  /** As given. */
  ORIGINAL(false, false, false),
  /** Rotated 90 degrees counter-clockwise. */
  ROTATE_90(true, false, true),
  /** Rotated 180 degrees. */
  ROTATE_180(false, true, true),
  /** Rotated 90 degrees clockwise. */
  ROTATE_270(true, true, false),
  /** Mirrored top to bottom. */
  FLIP_X(false, true, false),
  /** Mirrored left to right. */
  FLIP_Y(false, false, true),
  /** Mirrored about the main diagonal (transposed). */
  FLIP_PLUS_1(true, false, false),
  /** Mirrored about the anti-diagonal. */
  FLIP_MINUS_1(true, true, true);

  final boolean transpose;
  // Which coefficients change sign: those in even rows, even columns of the original's DCT (or both:
  // then exactly those whose row and column differ in parity).
  final boolean negateEvenRows;
  final boolean negateEvenColumns;

  PdqDihedral(boolean transpose, boolean negateEvenRows, boolean negateEvenColumns) {
    this.transpose = transpose;
    this.negateEvenRows = negateEvenRows;
    this.negateEvenColumns = negateEvenColumns;
  }
}
