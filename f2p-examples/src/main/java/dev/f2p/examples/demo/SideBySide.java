package dev.f2p.examples.demo;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** The before/after picture: input and output at the same height, side by side, captioned. */
final class SideBySide {
  private static final int HEIGHT = 384;
  private static final int CAPTION = 28;
  private static final int GAP = 12;

  private SideBySide() {}

  static BufferedImage compose(BufferedImage before, BufferedImage after) {
    int w1 = before.getWidth() * HEIGHT / before.getHeight();
    int w2 = after.getWidth() * HEIGHT / after.getHeight();
    BufferedImage out = new BufferedImage(w1 + GAP + w2, HEIGHT + CAPTION, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.drawImage(before, 0, CAPTION, w1, HEIGHT, null);
      g.drawImage(after, w1 + GAP, CAPTION, w2, HEIGHT, null);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString("before", 8, 20);
      g.drawString("after (labelled, watermarked)", w1 + GAP + 8, 20);
      return out;
    } finally {
      g.dispose();
    }
  }
}
