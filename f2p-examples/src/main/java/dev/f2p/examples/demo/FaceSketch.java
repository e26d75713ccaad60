package dev.f2p.examples.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/**
 * Draws a shaded frontal face, cropped tight like the model's inputs, so the demo runs for a newcomer
 * who has no photo at hand. The shading follows what a frontal-face detector looks for: eyes darker than
 * the cheeks below them, a lit nose bridge between them, a darker mouth line.
 */
final class FaceSketch {
  private FaceSketch() {}

  static BufferedImage draw(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      float s = size;
      g.setPaint(new GradientPaint(0, 0, new Color(0x5d7a99), 0, s, new Color(0x2e3f52)));
      g.fillRect(0, 0, size, size);

      // hair behind the head
      g.setColor(new Color(0x3b2a20));
      g.fill(new Ellipse2D.Float(0.14f * s, 0.02f * s, 0.72f * s, 0.70f * s));

      // face: an oval lit from the upper left
      Ellipse2D face = new Ellipse2D.Float(0.20f * s, 0.12f * s, 0.60f * s, 0.80f * s);
      g.setPaint(new RadialGradientPaint(0.45f * s, 0.42f * s, 0.45f * s, new float[] {0f, 0.7f, 1f},
          new Color[] {new Color(0xf3cfb0), new Color(0xdcae8c), new Color(0xb48564)}));
      g.fill(face);

      // fringe
      g.setColor(new Color(0x3b2a20));
      Path2D fringe = new Path2D.Float();
      fringe.moveTo(0.20f * s, 0.34f * s);
      fringe.curveTo(0.22f * s, 0.08f * s, 0.78f * s, 0.08f * s, 0.80f * s, 0.34f * s);
      fringe.curveTo(0.70f * s, 0.22f * s, 0.40f * s, 0.20f * s, 0.20f * s, 0.34f * s);
      g.fill(fringe);

      // eye sockets: the dark band a frontal detector keys on
      g.setColor(new Color(0xb88a6a));
      g.fill(new Ellipse2D.Float(0.28f * s, 0.40f * s, 0.18f * s, 0.10f * s));
      g.fill(new Ellipse2D.Float(0.54f * s, 0.40f * s, 0.18f * s, 0.10f * s));
      // brows
      g.setColor(new Color(0x2a1d15));
      g.setStroke(new BasicStroke(0.025f * s, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.drawArc((int) (0.28f * s), (int) (0.36f * s), (int) (0.18f * s), (int) (0.08f * s), 20, 140);
      g.drawArc((int) (0.54f * s), (int) (0.36f * s), (int) (0.18f * s), (int) (0.08f * s), 20, 140);
      // eyes
      for (float cx : new float[] {0.37f, 0.63f}) {
        g.setColor(new Color(0xf4f1ec));
        g.fill(new Ellipse2D.Float((cx - 0.065f) * s, 0.425f * s, 0.13f * s, 0.055f * s));
        g.setColor(new Color(0x4a3222));
        g.fill(new Ellipse2D.Float((cx - 0.03f) * s, 0.422f * s, 0.06f * s, 0.06f * s));
        g.setColor(Color.BLACK);
        g.fill(new Ellipse2D.Float((cx - 0.015f) * s, 0.437f * s, 0.03f * s, 0.03f * s));
      }
      // nose: lit bridge, shaded tip
      g.setPaint(new GradientPaint(0.5f * s, 0.45f * s, new Color(0xf6d8bd), 0.5f * s, 0.64f * s, new Color(0xc99775)));
      Path2D nose = new Path2D.Float();
      nose.moveTo(0.47f * s, 0.46f * s);
      nose.lineTo(0.53f * s, 0.46f * s);
      nose.lineTo(0.56f * s, 0.63f * s);
      nose.lineTo(0.44f * s, 0.63f * s);
      nose.closePath();
      g.fill(nose);
      g.setColor(new Color(0x8e5f45));
      g.fill(new Ellipse2D.Float(0.455f * s, 0.615f * s, 0.03f * s, 0.02f * s));
      g.fill(new Ellipse2D.Float(0.515f * s, 0.615f * s, 0.03f * s, 0.02f * s));
      // mouth
      g.setColor(new Color(0x9c4a45));
      g.setStroke(new BasicStroke(0.02f * s, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.drawArc((int) (0.40f * s), (int) (0.66f * s), (int) (0.20f * s), (int) (0.07f * s), 200, 140);
      return image;
    } finally {
      g.dispose();
    }
  }
}
