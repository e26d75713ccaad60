package dev.f2p.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelRendererTest {
  private final LabelRenderer defaults = new LabelRenderer(ProvenanceOutputPolicy.DEFAULT_LABEL, LabelCorner.BOTTOM_RIGHT);

  /** Renders one glyph white on black at 100 px and returns its ink mask. */
  private static boolean[][] ink(char c) {
    int size = 100;
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fill(LabelRenderer.lineShape(String.valueOf(c), 0, 0, size));
    g.dispose();
    boolean[][] mask = new boolean[size][size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        mask[y][x] = (image.getRGB(x, y) & 0xff) > 128;
      }
    }
    return mask;
  }

  /** Runs of ink along a row or column: separate strokes crossing the line. */
  private static int runs(boolean[][] m, int index, boolean row) {
    int runs = 0;
    boolean in = false;
    for (int i = 0; i < m.length; i++) {
      boolean v = row ? m[index][i] : m[i][index];
      if (v && !in) {
        runs++;
      }
      in = v;
    }
    return runs;
  }

  @Test
  void shengHasItsThreeHorizontalsAndCentralVerticalNotABox() {
    boolean[][] m = ink('生');
    // The central column crosses the top, middle and bottom horizontals inside one vertical stroke.
    int center = 50;
    int inked = 0;
    for (int y = 0; y < 100; y++) {
      inked += m[y][center] ? 1 : 0;
    }
    assertThat(inked).as("central vertical stroke").isGreaterThan(80);
    // A column left of the centre crosses three separate horizontals (a .notdef box would give two edges).
    assertThat(runs(m, 70, false)).isEqualTo(3);
    // The middle of the em is ink (a box's middle is empty).
    assertThat(m[50][50]).isTrue();
  }

  @Test
  void chengDiffersFromShengAndFromAnEmptyBox() {
    boolean[][] sheng = ink('生');
    boolean[][] cheng = ink('成');
    int both = 0;
    int either = 0;
    int ink = 0;
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        both += sheng[y][x] && cheng[y][x] ? 1 : 0;
        either += sheng[y][x] || cheng[y][x] ? 1 : 0;
        ink += cheng[y][x] ? 1 : 0;
      }
    }
    assertThat((double) both / either).as("overlap of the two glyphs").isLessThan(0.5);
    assertThat(ink).as("ink of 成").isBetween(1200, 4500);
    // Below the top horizontal some row crosses at least three separate strokes (a box's rows cross two).
    int most = 0;
    for (int row = 35; row < 95; row++) {
      most = Math.max(most, runs(cheng, row, true));
    }
    assertThat(most).isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 256, 512, 1000})
  void textIsAtLeastFivePercentOfTheShorterSide(int side) {
    List<Rectangle2D> boxes = defaults.lineBoxes(side * 2, side);
    for (Rectangle2D line : boxes.subList(1, boxes.size())) {
      assertThat(line.getHeight()).isGreaterThanOrEqualTo(0.05 * side);
    }
    Rectangle2D plate = boxes.get(0);
    assertThat(plate.getMaxX()).isLessThanOrEqualTo(side * 2);
    assertThat(plate.getMaxY()).isLessThanOrEqualTo(side);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x000000, 0xffffff, 0x808080})
  void labelReadsOnDarkLightAndMidBackgrounds(int background) {
    BufferedImage image = TestImages.flat(512, 512, background);
    defaults.draw(image);
    Rectangle2D line = defaults.lineBoxes(512, 512).get(1);
    int light = 0;
    int dark = 0;
    for (int y = (int) line.getY(); y < line.getMaxY(); y++) {
      for (int x = (int) line.getX(); x < line.getMaxX(); x++) {
        int v = image.getRGB(x, y) & 0xff;
        light += v > 200 ? 1 : 0;
        dark += v < 120 ? 1 : 0;
      }
    }
    assertThat(light).as("white glyph pixels").isGreaterThan(300);
    assertThat(dark).as("dark plate or outline pixels").isGreaterThan(300);
  }

  @ParameterizedTest
  @EnumSource(LabelCorner.class)
  void labelSitsInTheChosenCorner(LabelCorner corner) {
    Rectangle2D plate = new LabelRenderer(List.of("AI生成"), corner).lineBoxes(600, 400).get(0);
    boolean left = corner == LabelCorner.TOP_LEFT || corner == LabelCorner.BOTTOM_LEFT;
    boolean top = corner == LabelCorner.TOP_LEFT || corner == LabelCorner.TOP_RIGHT;
    assertThat(plate.getCenterX() < 300).isEqualTo(left);
    assertThat(plate.getCenterY() < 200).isEqualTo(top);
    assertThat(LabelCorner.parse(corner.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))).isEqualTo(corner);
  }

  @Test
  void defaultChineseGlyphsNeverTouchAFont() {
    for (char c : "生成".toCharArray()) {
      assertThat(LabelRenderer.ownGlyph(c)).as(String.valueOf(c)).isTrue();
    }
    // Our stand-ins for Latin exist for a JVM without fonts; where a font can draw them, it does.
    assertThat(Glyphs.has('A') && Glyphs.has('I')).isTrue();
  }
}
