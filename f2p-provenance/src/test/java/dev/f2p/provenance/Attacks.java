package dev.f2p.provenance;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.function.UnaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/** The watermark attack matrix: each attack a named image transformation. */
enum Attacks implements UnaryOperator<BufferedImage> {
  NONE(i -> i),
  METADATA_STRIPPED(i -> decode(png(i))),
  JPEG_Q50(i -> decode(jpeg(i, 0.5f))),
  BRIGHTER_20(i -> map(i, v -> v * 1.2)),
  DARKER_20(i -> map(i, v -> v * 0.8)),
  CONTRAST_PLUS_20(i -> map(i, v -> (v - 128) * 1.2 + 128)),
  CONTRAST_MINUS_20(i -> map(i, v -> (v - 128) * 0.8 + 128)),
  NOISE_SIGMA_5(Attacks::noise),
  RESIZE_HALF_AND_BACK(i -> resize(resize(i, i.getWidth() / 2, i.getHeight() / 2), i.getWidth(), i.getHeight())),
  CROP_5_PERCENT_EACH_EDGE(i -> crop(i, 0.05, 0.05, 0.05, 0.05)),
  CROP_5_PERCENT_TOP_LEFT(i -> crop(i, 0.05, 0.05, 0, 0));

  private final UnaryOperator<BufferedImage> op;

  Attacks(UnaryOperator<BufferedImage> op) {
    this.op = op;
  }

  @Override
  public BufferedImage apply(BufferedImage image) {
    return op.apply(image);
  }

  static BufferedImage rgb(BufferedImage image) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return out;
  }

  static byte[] png(BufferedImage image) {
    return write(image, "png");
  }

  static byte[] jpeg(BufferedImage image, float quality) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (var ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(rgb(image), null, null), param);
      }
      writer.dispose();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      return rgb(ImageIO.read(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, format, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedImage map(BufferedImage image, java.util.function.DoubleUnaryOperator f) {
    BufferedImage out = rgb(image);
    int[] lut = new int[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = (int) Math.max(0, Math.min(255, Math.round(f.applyAsDouble(v))));
    }
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        int p = out.getRGB(x, y);
        out.setRGB(x, y, lut[(p >> 16) & 0xff] << 16 | lut[(p >> 8) & 0xff] << 8 | lut[p & 0xff]);
      }
    }
    return out;
  }

  private static BufferedImage noise(BufferedImage image) {
    Random random = new Random(42);
    BufferedImage out = rgb(image);
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        int p = out.getRGB(x, y);
        int r = clamp(((p >> 16) & 0xff) + random.nextGaussian() * 5);
        int g = clamp(((p >> 8) & 0xff) + random.nextGaussian() * 5);
        int b = clamp((p & 0xff) + random.nextGaussian() * 5);
        out.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return out;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  static BufferedImage resize(BufferedImage image, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static BufferedImage crop(BufferedImage image, double left, double top, double right, double bottom) {
    int w = image.getWidth();
    int h = image.getHeight();
    int x0 = (int) Math.round(w * left);
    int y0 = (int) Math.round(h * top);
    int x1 = w - (int) Math.round(w * right);
    int y1 = h - (int) Math.round(h * bottom);
    return rgb(image.getSubimage(x0, y0, x1 - x0, y1 - y0));
  }
}
