package dev.f2p.provenance;

import java.util.Locale;

/** Where the visible label sits. Immutable and thread-safe. */
public enum LabelCorner {
  TOP_LEFT,
  TOP_RIGHT,
  BOTTOM_LEFT,
  BOTTOM_RIGHT;

  /** Parses {@code bottom-right} style names (the setting's form) as well as the constant names. */
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
