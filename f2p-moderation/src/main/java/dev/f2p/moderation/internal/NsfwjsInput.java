package dev.f2p.moderation.internal;

import java.awt.image.BufferedImage;

/**
 * The classifier's input made exactly as nsfwjs 4.4.0 makes it on TensorFlow.js's CPU backend, so the
 * port's probabilities are the original's: every channel value {@code v} becomes the float32 {@code v / 255}
 * ({@code img.toFloat().div(255)}), then the picture is resized to 224x224 with
 * {@code tf.image.resizeBilinear(x, [224, 224], alignCorners = true)}. The interpolation is that kernel's,
 * step for step: source positions and weights in double precision, each result rounded once to float32.
 * Only the rows and columns the resize samples are read, so the cost does not grow with the picture's area.
 * Alpha is ignored (RGB only). Stateless and thread-safe.
 */
public final class NsfwjsInput {
  /** The model's input width and height. */
  public static final int SIZE = 224;
  /** The number of values of one input: {@code 3 * 224 * 224}. */
  public static final int LENGTH = 3 * SIZE * SIZE;

  private static final int PLANE = SIZE * SIZE;

  private static final float[] SCALED = new float[256];

  static {
    for (int v = 0; v < 256; v++) {
      SCALED[v] = (float) (v / 255.0);
    }
  }

  private NsfwjsInput() {}

  /**
   * The model input for {@code image}: float32 {@code [3, 224, 224]} (channels R, G, B, then rows), values in [0, 1].
   *
   * @param image any picture at least one pixel wide and high
   * @return a new array of {@code 3 * 224 * 224} values
   */
  public static float[] of(BufferedImage image) {
    float[] out = new float[LENGTH];
    into(image, out);
    return out;
  }

  /**
   * Writes the model input for {@code image} into {@code out}, as {@link #of} returns it; for callers that
   * reuse one array per predictor instead of allocating 600 KB per call.
   *
   * @param image any picture at least one pixel wide and high
   * @param out an array of {@link #LENGTH} values, overwritten
   */
  public static void into(BufferedImage image, float[] out) {
    if (out.length != LENGTH) {
      throw new IllegalArgumentException("the input array must hold " + LENGTH + " values: " + out.length);
    }
    int width = image.getWidth();
    int height = image.getHeight();
    Axis rows = new Axis(height);
    Axis cols = new Axis(width);
    int[] top = new int[width];
    int[] bottom = new int[width];
    int loadedTop = -1;
    int loadedBottom = -1;
    for (int r = 0; r < SIZE; r++) {
      if (rows.floor[r] != loadedTop) {
        readRow(image, rows.floor[r], top);
        loadedTop = rows.floor[r];
      }
      if (rows.ceil[r] != loadedBottom) {
        readRow(image, rows.ceil[r], bottom);
        loadedBottom = rows.ceil[r];
      }
      double rowFrac = rows.frac[r];
      int at = r * SIZE;
      for (int c = 0; c < SIZE; c++, at++) {
        int tl = top[cols.floor[c]];
        int tr = top[cols.ceil[c]];
        int bl = bottom[cols.floor[c]];
        int br = bottom[cols.ceil[c]];
        double colFrac = cols.frac[c];
        out[at] = lerp(tl >>> 16, tr >>> 16, bl >>> 16, br >>> 16, colFrac, rowFrac);
        out[PLANE + at] = lerp(tl >>> 8, tr >>> 8, bl >>> 8, br >>> 8, colFrac, rowFrac);
        out[2 * PLANE + at] = lerp(tl, tr, bl, br, colFrac, rowFrac);
      }
    }
  }

  /** One channel (the low byte of each argument) of one output value, in tfjs's order of operations. */
  private static float lerp(int topLeft, int topRight, int bottomLeft, int bottomRight, double colFrac, double rowFrac) {
    double tl = SCALED[topLeft & 0xFF];
    double tr = SCALED[topRight & 0xFF];
    double bl = SCALED[bottomLeft & 0xFF];
    double br = SCALED[bottomRight & 0xFF];
    double upper = tl + (tr - tl) * colFrac;
    double lower = bl + (br - bl) * colFrac;
    return (float) (upper + (lower - upper) * rowFrac);
  }

  private static void readRow(BufferedImage image, int y, int[] into) {
    int type = image.getType();
    if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
      // Packed 0x(AA)RRGGBB already: copy the row without a colour-model call per pixel.
      image.getRaster().getDataElements(0, y, into.length, 1, into);
    } else {
      image.getRGB(0, y, into.length, 1, into, 0, into.length);
    }
  }

  /** Where each output row (or column) samples the source, as tfjs's resizeBilinear computes it. */
  private static final class Axis {
    final int[] floor = new int[SIZE];
    final int[] ceil = new int[SIZE];
    final double[] frac = new double[SIZE];

    Axis(int source) {
      // alignCorners: the first and last samples fall on the first and last source pixels.
      double ratio = (double) (source - 1) / (SIZE - 1);
      for (int i = 0; i < SIZE; i++) {
        double at = ratio * i;
        floor[i] = (int) Math.max(0, Math.floor(at));
        frac[i] = at - floor[i];
        ceil[i] = (int) Math.min(source - 1, Math.ceil(at));
      }
    }
  }
}
