package dev.f2p.security.pdq;

import java.util.Objects;

/**
 * A picture's PDQ hash and PDQ's quality score for it.
 *
 * @param hash the 256-bit hash
 * @param quality 0..100, from the picture's gradients; PDQ's authors advise against matching on hashes of
 *     quality below 50 (flat or nearly blank pictures), whose bits are mostly noise
 */
public record PdqFingerprint(PdqHash hash, int quality) {
  /**
   * Checks the components.
   *
   * @param hash the 256-bit hash
   * @param quality 0..100
   * @throws IllegalArgumentException when the quality is out of range
   */
  public PdqFingerprint {
    Objects.requireNonNull(hash, "hash");
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("quality must be 0..100: " + quality);
    }
  }
}
