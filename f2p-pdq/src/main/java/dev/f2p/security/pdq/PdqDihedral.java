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

  // Each transform is a mirror top to bottom and/or left to right, then maybe a transpose. In the DCT
  // (which PDQ keeps from frequency 1 up) a mirror negates the coefficients of even index along its axis.
  final boolean transpose;
  final boolean flipRows;
  final boolean flipColumns;

  PdqDihedral(boolean transpose, boolean flipRows, boolean flipColumns) {
    this.transpose = transpose;
    this.flipRows = flipRows;
    this.flipColumns = flipColumns;
  }
}
