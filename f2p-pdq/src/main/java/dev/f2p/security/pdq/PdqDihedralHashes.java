package dev.f2p.security.pdq;

import java.util.List;
import java.util.Objects;

/**
 * The PDQ hashes of a picture's eight rotations and flips, computed from one pass over its pixels, and
 * the quality score (the same for all eight). Immutable.
 *
 * @param hashes one per {@link PdqDihedral}, in its order
 * @param quality 0..100
 */
public record PdqDihedralHashes(List<PdqHash> hashes, int quality) {
  /**
   * Copies and checks the hashes.
   *
   * @param hashes exactly eight, one per {@link PdqDihedral}, in its order; copied
   * @param quality 0..100
   * @throws IllegalArgumentException when there are not eight hashes or the quality is out of range
   */
  public PdqDihedralHashes {
    hashes = List.copyOf(hashes);
    if (hashes.size() != PdqDihedral.values().length) {
      throw new IllegalArgumentException("expected 8 hashes, got " + hashes.size());
    }
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("quality must be 0..100: " + quality);
    }
  }

  /**
   * The hash of one transform.
   *
   * @param transform the rotation or flip
   * @return the hash of the picture so transformed
   */
  public PdqHash get(PdqDihedral transform) {
    return hashes.get(Objects.requireNonNull(transform, "transform").ordinal());
  }

  /**
   * The hash of the picture as given, with its quality.
   *
   * @return the fingerprint of {@link PdqDihedral#ORIGINAL}
   */
  public PdqFingerprint original() {
    return new PdqFingerprint(get(PdqDihedral.ORIGINAL), quality);
  }
}
