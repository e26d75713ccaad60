package dev.f2p.moderation;

import java.util.Optional;

/**
 * When a picture is refused: when the classifier gives {@link NsfwClass#PORN} or {@link NsfwClass#HENTAI} a
 * probability at or above {@link #explicit()}, or {@link NsfwClass#SEXY} one at or above {@link #sexy()}.
 * Suggestive is not explicit, so it takes more certainty to refuse by default; a host that serves no
 * suggestive pictures lowers it, one that allows them turns it off. Immutable and thread-safe.
 *
 * @param explicit the threshold for Porn and Hentai, in (0, 1]; default {@value #DEFAULT_EXPLICIT}
 * @param sexy the threshold for Sexy, in (0, 1], or empty to never refuse for Sexy alone; default
 *     {@value #DEFAULT_SEXY}
 */
public record NsfwThresholds(double explicit, Optional<Double> sexy) {
  /** Porn or Hentai at or above this probability is refused unless set otherwise. */
  public static final double DEFAULT_EXPLICIT = 0.5;
  /** Sexy at or above this probability is refused unless set otherwise. */
  public static final double DEFAULT_SEXY = 0.9;
  /** The defaults: Porn or Hentai from 0.5, Sexy from 0.9. */
  public static final NsfwThresholds DEFAULTS = new NsfwThresholds(DEFAULT_EXPLICIT, Optional.of(DEFAULT_SEXY));

  /**
   * Checks both thresholds.
   *
   * @param explicit the threshold for Porn and Hentai, in (0, 1]
   * @param sexy the threshold for Sexy, in (0, 1], or empty to never refuse for Sexy alone
   * @throws IllegalArgumentException naming the bad value when a threshold is outside (0, 1]
   */
  public NsfwThresholds {
    check("explicit threshold", explicit);
    sexy.ifPresent(s -> check("sexy threshold", s));
  }

  private static void check(String name, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1]: " + value);
    }
  }

  /**
   * The class a picture is refused for, if any: the most probable of those at or above their threshold.
   *
   * @param scores the classifier's answer
   * @return the refused class, or empty when the picture passes
   */
  public Optional<NsfwClass> refusal(NsfwScores scores) {
    NsfwClass refused = null;
    for (NsfwClass c : new NsfwClass[] {NsfwClass.PORN, NsfwClass.HENTAI, NsfwClass.SEXY}) {
      Optional<Double> threshold = c == NsfwClass.SEXY ? sexy : Optional.of(explicit);
      float p = scores.probability(c);
      // Compared in float, the model's precision: 0.9f is "at 0.9", though just below the double 0.9.
      if (threshold.isPresent() && p >= threshold.get().floatValue() && (refused == null || p > scores.probability(refused))) {
        refused = c;
      }
    }
    return Optional.ofNullable(refused);
  }
}
