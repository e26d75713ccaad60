package dev.f2p.provenance;

import java.util.Locale;

/** Where the visible label sits. Immutable and thread-safe. */
public enum LabelCorner {
  /** The top left corner. */
  TOP_LEFT,
  /** The top right corner. */
  TOP_RIGHT,
  /** The bottom left corner. */
  BOTTOM_LEFT,
  /** The bottom right corner; the default. */
  BOTTOM_RIGHT;

  /**
   * Parses {@code bottom-right} style names (the setting's form) as well as the constant names, in any
   * case, ignoring surrounding white space.
   *
   * @param name such as {@code bottom-right} or {@code BOTTOM_RIGHT}
   * @return the corner
   * @throws IllegalArgumentException naming the four corners when {@code name} is none of them
   */
  public static LabelCorner parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (LabelCorner c : values()) {
      if (c.name().equals(n)) {
        return c;
      }
    }
    throw new IllegalArgumentException("label corner must be top-left, top-right, bottom-left or bottom-right: " + name);
  }
}
