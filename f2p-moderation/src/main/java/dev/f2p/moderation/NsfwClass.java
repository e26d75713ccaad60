package dev.f2p.moderation;

import java.util.Locale;

/** The five classes of the nsfwjs model, in the order of its output. */
public enum NsfwClass {
  /** Safe-for-work drawings, including anime. */
  DRAWING,
  /** Explicit drawings, including hentai. */
  HENTAI,
  /** Safe-for-work photos. */
  NEUTRAL,
  /** Explicit photos. */
  PORN,
  /** Suggestive, not explicit, photos. */
  SEXY;

  /**
   * The class's name as nsfwjs writes it, such as {@code Porn}.
   *
   * @return the nsfwjs class name
   */
  public String label() {
    String lower = name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }
}
