package dev.f2p.engine.djl.internal;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Pixels to planar float tensors (NCHW, batch 1) and back, with the bundle's normalisation. */
public final class ImageTensors {
  private static final float INV255 = 1f / 255f;

  private ImageTensors() {}

  /**
   * The image as packed RGB ints at {@code width x height}, scaled bilinearly when its size differs. The
   * array may be the image's own buffer: callers must not write to it.
   */
  public static int[] rgb(BufferedImage image, int width, int height) {
    BufferedImage src = image;
    if (image.getWidth() != width || image.getHeight() != height || image.getType() != BufferedImage.TYPE_INT_RGB) {
      src = draw(image, width, height);
    }
    int[] data = ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
    if (data.length == width * height && src.getRaster().getParent() == null) {
      // Read-only use of the caller's own pixels: no copy, no colour-model conversion per pixel.
      return data;
    }
    return src.getRGB(0, 0, width, height, null, 0, width);
  }

  /** Planar float channels R, G, B of packed RGB pixels, in [0,1] or [-1,1]. */
  public static float[] toPlanar(int[] rgb, Manifest.Range range) {
    int n = rgb.length;
    float[] out = new float[3 * n];
    float scale = range == Manifest.Range.ZERO_ONE ? INV255 : 2f * INV255;
    float offset = range == Manifest.Range.ZERO_ONE ? 0f : -1f;
    for (int i = 0; i < n; i++) {
      int p = rgb[i];
      out[i] = ((p >>> 16) & 0xff) * scale + offset;
      out[n + i] = ((p >>> 8) & 0xff) * scale + offset;
      out[2 * n + i] = (p & 0xff) * scale + offset;
    }
    return out;
  }

  /** An RGB image from planar float channels, clamped, rounded to the nearest 8-bit value. */
  public static BufferedImage fromPlanar(float[] planar, int width, int height, Manifest.Range range) {
    int n = width * height;
    if (planar.length != 3 * n) {
      throw new IllegalArgumentException("expected " + 3 * n + " values for " + width + "x" + height + ", got "
          + planar.length);
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    float scale = range == Manifest.Range.ZERO_ONE ? 255f : 127.5f;
    float offset = range == Manifest.Range.ZERO_ONE ? 0f : 1f;
    for (int i = 0; i < n; i++) {
      px[i] = (channel(planar[i], offset, scale) << 16) | (channel(planar[n + i], offset, scale) << 8)
          | channel(planar[2 * n + i], offset, scale);
    }
    return img;
  }

  private static int channel(float v, float offset, float scale) {
    float x = (v + offset) * scale + 0.5f;
    // NaN fails both comparisons and becomes 0: a broken model yields black, never an exception.
    return x >= 255f ? 255 : x >= 0f ? (int) x : 0;
  }

  /** Scales to the requested output size when the model's differs. */
  public static BufferedImage resize(BufferedImage image, int width, int height) {
    return image.getWidth() == width && image.getHeight() == height ? image : draw(image, width, height);
  }

  private static BufferedImage draw(BufferedImage image, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
