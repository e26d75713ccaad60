package dev.f2p.provenance;

import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Our own stroke outlines for the characters of the default label, so "AI生成" renders on a headless JVM
 * with no CJK font installed (a missing font would draw empty boxes). Each glyph is a few strokes drawn in
 * a unit em box (y down), stroked with round ends. "A" and "I" stand in only where even the JDK's
 * logical fonts cannot draw Latin; every other character comes from those fonts.
 */
final class Glyphs {
  /** Stroke width as a fraction of the em. */
  static final float WEIGHT = 0.12f;

  private record Glyph(float advance, Path2D.Float strokes) {}

  private static final Map<Character, Glyph> GLYPHS = Map.of(
      'A', glyph(0.8f, new float[][] {{0.05f, 1f, 0.4f, 0f, 0.75f, 1f}, {0.17f, 0.66f, 0.63f, 0.66f}}),
      'I', glyph(0.35f, new float[][] {{0.17f, 0f, 0.17f, 1f}}),
      '生', glyph(1.05f, new float[][] {
          {0.27f, 0.04f, 0.1f, 0.42f},
          {0.2f, 0.28f, 0.88f, 0.28f},
          {0.16f, 0.6f, 0.84f, 0.6f},
          {0.5f, 0.04f, 0.5f, 0.93f},
          {0.05f, 0.93f, 0.95f, 0.93f}}),
      '成', glyph(1.05f, new float[][] {
          {0.12f, 0.28f, 0.92f, 0.28f},
          {0.17f, 0.28f, 0.17f, 0.64f, 0.07f, 0.95f},
          {0.17f, 0.55f, 0.4f, 0.55f, 0.38f, 0.86f, 0.3f, 0.82f},
          {0.5f, 0.04f, 0.56f, 0.55f, 0.7f, 0.8f, 0.93f, 0.95f, 0.95f, 0.7f},
          {0.86f, 0.42f, 0.42f, 0.92f},
          {0.7f, 0.06f, 0.8f, 0.16f}}));

  private Glyphs() {}

  static boolean has(char c) {
    return GLYPHS.containsKey(c);
  }

  /** Advance width in em. */
  static float advance(char c) {
    return Objects.requireNonNull(GLYPHS.get(c), "callers ask has(c) first").advance();
  }

  /** The filled outline of {@code c} with its em box's top-left at (x, y), {@code em} pixels high. */
  static Optional<Shape> outline(char c, double x, double y, double em) {
    Glyph g = GLYPHS.get(c);
    if (g == null) {
      return Optional.empty();
    }
    Shape stroked = new BasicStroke(WEIGHT, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND).createStrokedShape(g.strokes());
    AffineTransform t = new AffineTransform(em, 0, 0, em, x, y);
    return Optional.of(t.createTransformedShape(stroked));
  }

  /** Strokes as polylines {x0, y0, x1, y1, ...}, inset so round ends stay within the em box. */
  private static Glyph glyph(float advance, float[][] strokes) {
    Path2D.Float path = new Path2D.Float();
    float inset = WEIGHT / 2;
    float scale = 1 - WEIGHT;
    for (float[] s : strokes) {
      path.moveTo(inset + s[0] * scale, inset + s[1] * scale);
      for (int i = 2; i < s.length; i += 2) {
        path.lineTo(inset + s[i] * scale, inset + s[i + 1] * scale);
      }
    }
    return new Glyph(advance, path);
  }
}
