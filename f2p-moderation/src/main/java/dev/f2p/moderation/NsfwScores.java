package dev.f2p.moderation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The classifier's answer for one picture: a probability for each {@link NsfwClass}, summing to 1.
 * Immutable and thread-safe.
 */
public final class NsfwScores {
  private static final NsfwClass[] CLASSES = NsfwClass.values();

  private final float[] probabilities;

  private NsfwScores(float[] probabilities) {
    this.probabilities = probabilities;
  }

  /**
   * Scores from the model's output, in {@link NsfwClass} order.
   *
   * @param probabilities one finite value in [0, 1] per class
   * @return the scores
   * @throws IllegalArgumentException when there is not one probability per class or one is out of range
   */
  public static NsfwScores of(float... probabilities) {
    Objects.requireNonNull(probabilities, "probabilities");
    if (probabilities.length != CLASSES.length) {
      throw new IllegalArgumentException(
          "expected " + CLASSES.length + " probabilities, got " + probabilities.length);
    }
    for (float p : probabilities) {
      // The negated test also refuses NaN, which a broken model would produce.
      if (!(p >= 0f && p <= 1f)) {
        throw new IllegalArgumentException("probability out of [0, 1]: " + p);
      }
    }
    return new NsfwScores(probabilities.clone());
  }

  /**
   * The probability of one class.
   *
   * @param nsfwClass the class
   * @return its probability, in [0, 1]
   */
  public float probability(NsfwClass nsfwClass) {
    return probabilities[nsfwClass.ordinal()];
  }

  /**
   * The most probable class (the first in {@link NsfwClass} order on a tie).
   *
   * @return the top class
   */
  public NsfwClass top() {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return CLASSES[best];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NsfwScores other && Arrays.equals(probabilities, other.probabilities);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(probabilities);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("NsfwScores{");
    for (NsfwClass c : CLASSES) {
      s.append(c == CLASSES[0] ? "" : ", ").append(c.label()).append('=')
          .append(String.format(Locale.ROOT, "%.4f", probability(c)));
    }
    return s.append('}').toString();
  }
}
