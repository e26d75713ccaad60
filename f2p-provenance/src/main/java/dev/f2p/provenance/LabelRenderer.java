package dev.f2p.provenance;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws the visible label: each line's cap height at least {@link #MIN_HEIGHT_FRACTION} of the image's
 * shorter side, white text with a dark outline on a translucent dark plate, so it reads on light and dark
 * pictures alike. Characters with our own outlines ({@link Glyphs}) never touch a font. Immutable and
 * thread-safe.
 */
final class LabelRenderer {
  static final double MIN_HEIGHT_FRACTION = 0.05;
  private static final FontRenderContext FRC = new FontRenderContext(new AffineTransform(), true, true);
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.BOLD, 100);
  /** Cap height of {@link #FONT} in points, measured once from "H". */
  private static final double FONT_CAP = FONT.createGlyphVector(FRC, "H").getVisualBounds().getHeight();

  private final List<String> lines;
  private final LabelCorner corner;
  /** Shapes per output size; hosts make few sizes, and the bound keeps a size-cycling caller harmless. */
  private final Map<Long, Rendered> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Rendered> eldest) {
      return size() > 16;
    }
  };

  LabelRenderer(List<String> lines, LabelCorner corner) {
    this.lines = List.copyOf(lines);
    this.corner = corner;
    for (String line : lines) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (!ownGlyph(c) && !Character.isWhitespace(c) && !FONT.canDisplay(c)) {
          throw new IllegalArgumentException("label text has a character no installed font can draw: U+"
              + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT));
        }
      }
    }
  }

  /** The glyph boxes of the label for an image of this size: {line, x, y, width, height} per line. */
  List<Rectangle2D> lineBoxes(int width, int height) {
    double cap = capHeight(width, height);
    double pad = cap * 0.35;
    double gap = cap * 0.45;
    List<Double> widths = new ArrayList<>();
    double plateW = 0;
    for (String line : lines) {
      double w = lineWidth(line, cap);
      widths.add(w);
      plateW = Math.max(plateW, w);
    }
    plateW += 2 * pad;
    double plateH = lines.size() * cap + (lines.size() - 1) * gap + 2 * pad;
    double margin = Math.max(2, Math.min(width, height) * 0.02);
    double x0 = corner == LabelCorner.TOP_LEFT || corner == LabelCorner.BOTTOM_LEFT ? margin : width - margin - plateW;
    double y0 = corner == LabelCorner.TOP_LEFT || corner == LabelCorner.TOP_RIGHT ? margin : height - margin - plateH;
    List<Rectangle2D> boxes = new ArrayList<>();
    boxes.add(new Rectangle2D.Double(x0, y0, plateW, plateH));
    for (int i = 0; i < lines.size(); i++) {
      boxes.add(new Rectangle2D.Double(x0 + pad, y0 + pad + i * (cap + gap), widths.get(i), cap));
    }
    return boxes;
  }

  /** Draws the label onto {@code image}. */
  void draw(BufferedImage image) {
    Rendered r = rendered(image.getWidth(), image.getHeight());
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.55f));
      g.setColor(Color.BLACK);
      g.fill(r.plate());
      g.setComposite(AlphaComposite.SrcOver);
      g.fill(r.outline());
      g.setColor(Color.WHITE);
      g.fill(r.text());
    } finally {
      g.dispose();
    }
  }

  /** The plate, the text's dark outline and the text for one image size, computed once per size. */
  private record Rendered(Shape plate, Shape outline, Shape text) {}

  private Rendered rendered(int width, int height) {
    long key = (long) width << 32 | height;
    synchronized (cache) {
      Rendered r = cache.get(key);
      if (r != null) {
        return r;
      }
    }
    List<Rectangle2D> boxes = lineBoxes(width, height);
    double cap = capHeight(width, height);
    Rectangle2D p = boxes.get(0);
    Path2D.Double text = new Path2D.Double(Path2D.WIND_NON_ZERO);
    for (int i = 0; i < lines.size(); i++) {
      text.append(lineShape(lines.get(i), boxes.get(i + 1).getX(), boxes.get(i + 1).getY(), cap), false);
    }
    Shape outline = new BasicStroke((float) Math.max(1, cap * 0.08), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
        .createStrokedShape(text);
    Rendered r = new Rendered(
        new RoundRectangle2D.Double(p.getX(), p.getY(), p.getWidth(), p.getHeight(), cap * 0.5, cap * 0.5), outline, text);
    synchronized (cache) {
      cache.put(key, r);
    }
    return r;
  }

  /** The outline of one line with its top-left at (x, y) and cap height {@code cap}. */
  static Shape lineShape(String line, double x, double y, double cap) {
    // One path, filled with the non-zero rule: pieces never cancel, and unions of curved outlines with
    // java.awt.geom.Area cost more than the whole watermark.
    Path2D.Double area = new Path2D.Double(Path2D.WIND_NON_ZERO);
    double pen = x;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (ownGlyph(c)) {
        area.append(Glyphs.outline(c, pen, y, cap).orElseThrow(), false);
        pen += (Glyphs.advance(c) + 0.08) * cap;
      } else {
        double scale = cap / FONT_CAP;
        GlyphVector v = FONT.createGlyphVector(FRC, String.valueOf(c));
        AffineTransform t = new AffineTransform(scale, 0, 0, scale, pen, y + cap);
        area.append(t.createTransformedShape(v.getOutline()), false);
        pen += v.getLogicalBounds().getWidth() * scale;
      }
    }
    return area;
  }

  /**
   * Our outlines for CJK always (a JVM's fallback for them is an empty box where no CJK font is
   * installed), and for Latin only where the logical font cannot draw it.
   */
  static boolean ownGlyph(char c) {
    return Glyphs.has(c) && (c >= 0x2E80 || !FONT.canDisplay(c));
  }

  private static double lineWidth(String line, double cap) {
    return lineShape(line, 0, 0, cap).getBounds2D().getMaxX();
  }

  static double capHeight(int width, int height) {
    return Math.ceil(Math.min(width, height) * MIN_HEIGHT_FRACTION);
  }
}
