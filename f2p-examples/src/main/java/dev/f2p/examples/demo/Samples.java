package dev.f2p.examples.demo;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** The hostile and unsuitable inputs the demo sends. */
final class Samples {
  private Samples() {}

  /**
   * A valid, tiny PNG whose header claims 100000x100000 pixels: decoding it would need 40 GB. The
   * validator must refuse it from the header alone.
   */
  static byte[] decompressionBomb() {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[64 * 1024]);
    deflater.finish();
    byte[] buffer = new byte[1024];
    int n = deflater.deflate(buffer);
    deflater.end();
    chunk(png, "IDAT", java.util.Arrays.copyOf(buffer, n));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  /** A sky, hills and a sun: a fine picture, but no face in it. */
  static BufferedImage landscape(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setPaint(new GradientPaint(0, 0, new Color(0x87b5e8), 0, height, new Color(0xf2d9a6)));
      g.fillRect(0, 0, width, height);
      g.setColor(new Color(0xffd23f));
      g.fill(new Ellipse2D.Float(width * 0.7f, height * 0.1f, width * 0.15f, width * 0.15f));
      g.setColor(new Color(0x4f7a3a));
      g.fill(new Ellipse2D.Float(-width * 0.2f, height * 0.6f, width * 0.9f, height * 0.8f));
      g.setColor(new Color(0x3d6330));
      g.fill(new Ellipse2D.Float(width * 0.3f, height * 0.65f, width * 1.0f, height * 0.8f));
      return image;
    } finally {
      g.dispose();
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
