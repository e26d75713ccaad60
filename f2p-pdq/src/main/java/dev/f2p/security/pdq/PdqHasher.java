package dev.f2p.security.pdq;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Meta's PDQ perceptual hash of decoded pixels, written from the published description ("The TMK+PDQF
 * Video-Hashing Algorithm and the PDQ Image Similarity Algorithm", Meta, 2019):
 *
 * <ol>
 *   <li>a picture larger than {@value #MAX_SIDE} pixels on a side is first averaged down to fit
 *       {@value #MAX_SIDE}x{@value #MAX_SIDE}, keeping its aspect ratio, as the reference hasher does;
 *   <li>luminance {@code 0.299 R + 0.587 G + 0.114 B} (alpha ignored);
 *   <li>two passes of a Jarosz box filter along rows then columns (a tent filter), each window
 *       {@code ceil(side / 128)} wide;
 *   <li>decimation to 64x64, sampling the centre of each cell;
 *   <li>quality: the sum of quantised neighbour gradients of that 64x64 image, scaled to 0..100;
 *   <li>a 2D DCT of which the 16x16 lowest frequencies, without the DC row and column, are kept;
 *   <li>bit {@code 16 i + j} set where coefficient {@code (i, j)} exceeds the median of the 256.
 * </ol>
 *
 * <p>Stateless and thread-safe; each call allocates at most two {@value #MAX_SIDE}x{@value #MAX_SIDE}
 * float buffers whatever the picture's size, and reads the picture one row at a time.
 */
public final class PdqHasher {
  /** Pictures larger than this on either side are averaged down to fit before hashing. */
  public static final int MAX_SIDE = 512;

  private static final float LUMA_R = 0.299f;
  private static final float LUMA_G = 0.587f;
  private static final float LUMA_B = 0.114f;
  private static final int JAROSZ_PASSES = 2;
  // Two passes with a window of side/128 together span side/64: one cell of the 64x64 decimation.
  private static final int JAROSZ_WINDOW_DIVISOR = 128;
  private static final int CELLS = 64;
  private static final int ROW_BLOCK = 16;
  private static final int FREQUENCIES = 16;
  private static final float[] DCT = dctMatrix();

  private static final PdqHasher INSTANCE = new PdqHasher();

  private PdqHasher() {}

  /**
   * The hasher; it holds no state.
   *
   * @return the shared instance
   */
  public static PdqHasher create() {
    return INSTANCE;
  }

  /**
   * The PDQ hash and quality of {@code image} as given. CPU-bound, in the calling thread.
   *
   * @param image the decoded pixels, any size and pixel type; not modified
   * @return the hash and its quality
   */
  public PdqFingerprint hash(BufferedImage image) {
    float[] coefficients = new float[FREQUENCIES * FREQUENCIES];
    int quality = transform(image, coefficients);
    return new PdqFingerprint(toBits(coefficients), quality);
  }

  /**
   * The PDQ hashes of all eight rotations and flips of {@code image}, derived from one DCT: as cheap as
   * {@link #hash}, but exact only where PDQ's filter windows and sampling grid are mirror-symmetric (see
   * {@link #orientations} for hashes that are).
   *
   * @param image the decoded pixels, any size and pixel type; not modified
   * @return the eight hashes and the quality
   */
  public PdqDihedralHashes dihedral(BufferedImage image) {
    float[] coefficients = new float[FREQUENCIES * FREQUENCIES];
    int quality = transform(image, coefficients);
    return dihedral(coefficients, quality);
  }

  /**
   * The plain PDQ hash of each of the eight rotations and flips of {@code image}, as if each had been
   * hashed on its own, at about three times the cost of {@link #hash}: the luminance is computed once and
   * mirrored into its four mirror images, each filtered on its own; a transpose needs no filtering of its
   * own (the row and column filters commute), only its cells transposed. Use it where a mirrored or rotated
   * copy must match as reliably as the picture itself: {@link #dihedral} derives the eight from one DCT,
   * which is exact only where PDQ's filter windows and sampling grid are mirror-symmetric, and on some sizes
   * (256 pixels a side, for one) its derived hashes lie 30 to 100 bits from the hashes of the transformed
   * pictures.
   *
   * @param image the decoded pixels, any size and pixel type; not modified
   * @return the eight hashes, each as {@link #hash} gives it for the transformed picture, and the quality
   */
  public PdqDihedralHashes orientations(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int[] size = workingSize(image.getWidth(), image.getHeight());
    int cols = size[0];
    int rows = size[1];
    float[] luma = luma(image, cols, rows);
    float[] coefficients = new float[FREQUENCIES * FREQUENCIES];
    PdqHash[] hashes = new PdqHash[PdqDihedral.values().length];
    int quality = 0;
    for (int mirror = 0; mirror < 4; mirror++) {
      boolean flipRows = (mirror & 1) != 0;
      boolean flipColumns = (mirror & 2) != 0;
      float[] cells = cells(mirror(luma, cols, rows, flipRows, flipColumns), cols, rows);
      if (mirror == 0) {
        quality = quality(cells);
      }
      float[] transposed = transpose(cells);
      for (PdqDihedral d : PdqDihedral.values()) {
        if (d.flipRows == flipRows && d.flipColumns == flipColumns) {
          dct(d.transpose ? transposed : cells, coefficients);
          hashes[d.ordinal()] = toBits(coefficients);
        }
      }
    }
    return new PdqDihedralHashes(List.of(hashes), quality);
  }

  private static float[] mirror(float[] luma, int cols, int rows, boolean flipRows, boolean flipColumns) {
    if (!flipRows && !flipColumns) {
      return luma.clone();
    }
    float[] out = new float[luma.length];
    for (int y = 0; y < rows; y++) {
      int from = (flipRows ? rows - 1 - y : y) * cols;
      int to = y * cols;
      for (int x = 0; x < cols; x++) {
        out[to + x] = luma[from + (flipColumns ? cols - 1 - x : x)];
      }
    }
    return out;
  }

  private static float[] transpose(float[] cells) {
    float[] out = new float[cells.length];
    for (int i = 0; i < CELLS; i++) {
      for (int j = 0; j < CELLS; j++) {
        out[j * CELLS + i] = cells[i * CELLS + j];
      }
    }
    return out;
  }

  private static PdqDihedralHashes dihedral(float[] coefficients, int quality) {
    float[] moved = new float[coefficients.length];
    List<PdqHash> hashes = new ArrayList<>(8);
    for (PdqDihedral d : PdqDihedral.values()) {
      for (int i = 0; i < FREQUENCIES; i++) {
        for (int j = 0; j < FREQUENCIES; j++) {
          boolean negate = (d.flipRows && (i & 1) == 0) ^ (d.flipColumns && (j & 1) == 0);
          float v = negate ? -coefficients[i * FREQUENCIES + j] : coefficients[i * FREQUENCIES + j];
          moved[d.transpose ? j * FREQUENCIES + i : i * FREQUENCIES + j] = v;
        }
      }
      hashes.add(toBits(moved));
    }
    return new PdqDihedralHashes(hashes, quality);
  }

  /** Fills the 16x16 DCT coefficients of {@code image}; returns its quality. */
  private static int transform(BufferedImage image, float[] coefficients) {
    Objects.requireNonNull(image, "image");
    int[] size = workingSize(image.getWidth(), image.getHeight());
    return transform(luma(image, size[0], size[1]), size[0], size[1], coefficients);
  }

  /** The picture's size, or for a larger one the size that fits {@value #MAX_SIDE} with its aspect ratio. */
  private static int[] workingSize(int width, int height) {
    int longest = Math.max(width, height);
    if (longest <= MAX_SIDE) {
      return new int[] {width, height};
    }
    return new int[] {Math.max(1, (int) Math.round((double) width * MAX_SIDE / longest)),
        Math.max(1, (int) Math.round((double) height * MAX_SIDE / longest))};
  }

  /** Filters, decimates and transforms {@code luma} ({@code cols x rows}, overwritten); returns its quality. */
  private static int transform(float[] luma, int cols, int rows, float[] coefficients) {
    float[] cells = cells(luma, cols, rows);
    dct(cells, coefficients);
    return quality(cells);
  }

  /** The 64x64 cells of {@code luma} ({@code cols x rows}, overwritten): two tent-filter passes, then decimation. */
  private static float[] cells(float[] luma, int cols, int rows) {
    float[] scratch = new float[luma.length];
    int windowAlongRows = (cols + JAROSZ_WINDOW_DIVISOR - 1) / JAROSZ_WINDOW_DIVISOR;
    int windowAlongColumns = (rows + JAROSZ_WINDOW_DIVISOR - 1) / JAROSZ_WINDOW_DIVISOR;
    float[] sums = new float[Math.max(cols, ROW_BLOCK)];
    for (int pass = 0; pass < JAROSZ_PASSES; pass++) {
      // Several rows at once, then all columns at once: the same sums as one line at a time, but with
      // independent running sums side by side and memory read in order.
      for (int r = 0; r < rows; r += ROW_BLOCK) {
        box(luma, scratch, r * cols, cols, 1, Math.min(ROW_BLOCK, rows - r), cols, windowAlongRows, sums);
      }
      box(scratch, luma, 0, rows, cols, cols, 1, windowAlongColumns, sums);
    }
    float[] cells = new float[CELLS * CELLS];
    for (int i = 0; i < CELLS; i++) {
      int r = (int) ((i + 0.5) * rows / CELLS);
      for (int j = 0; j < CELLS; j++) {
        cells[i * CELLS + j] = luma[r * cols + (int) ((j + 0.5) * cols / CELLS)];
      }
    }
    return cells;
  }

  /**
   * Luminance at {@code cols x rows}: the picture itself when that is its size, else the average of the
   * source pixels falling into each target pixel.
   */
  private static float[] luma(BufferedImage image, int cols, int rows) {
    int width = image.getWidth();
    int height = image.getHeight();
    float[] out = new float[cols * rows];
    int[] rgb = new int[width];
    RowReader reader = RowReader.of(image);
    boolean scaled = cols != width || rows != height;
    int[] columnBin = new int[width];
    for (int x = 0; x < width; x++) {
      columnBin[x] = (int) ((long) x * cols / width);
    }
    for (int y = 0; y < height; y++) {
      reader.read(y, rgb);
      int base = (int) ((long) y * rows / height) * cols;
      for (int x = 0; x < width; x++) {
        int p = rgb[x];
        float l = LUMA_R * ((p >>> 16) & 0xff) + LUMA_G * ((p >>> 8) & 0xff) + LUMA_B * (p & 0xff);
        if (scaled) {
          out[base + columnBin[x]] += l;
        } else {
          out[base + x] = l;
        }
      }
    }
    if (scaled) {
      int[] columnCount = count(width, cols);
      int[] rowCount = count(height, rows);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[r * cols + c] /= (float) columnCount[c] * rowCount[r];
        }
      }
    }
    return out;
  }

  private static int[] count(int source, int target) {
    int[] counts = new int[target];
    for (int s = 0; s < source; s++) {
      counts[(int) ((long) s * target / source)]++;
    }
    return counts;
  }

  /**
   * A 1D box filter of {@code window} samples over {@code length} steps, for {@code lanes} independent
   * signals at once: sample {@code k} of lane {@code l} is at {@code start + k * step + l * laneStride}. The window is
   * centred (its right half one longer when even) and shrinks near the ends to the samples that exist.
   * The additions run in the reference's order, so the sums round as they do there.
   */
  static void box(float[] in, float[] out, int start, int length, int step, int lanes, int laneStride, int window,
      float[] sums) {
    int half = (window + 2) / 2;
    int leadIn = half - 1;
    int growing = window - half + 1;
    int full = length - window;
    java.util.Arrays.fill(sums, 0, lanes, 0f);
    int left = start;
    int right = start;
    int o = start;
    int size = 0;
    for (int k = 0; k < leadIn; k++, right += step) {
      for (int l = 0; l < lanes; l++) {
        sums[l] += in[right + l * laneStride];
      }
      size++;
    }
    for (int k = 0; k < growing; k++, right += step, o += step) {
      size++;
      for (int l = 0; l < lanes; l++) {
        sums[l] += in[right + l * laneStride];
        out[o + l * laneStride] = sums[l] / size;
      }
    }
    for (int k = 0; k < full; k++, left += step, right += step, o += step) {
      for (int l = 0; l < lanes; l++) {
        float sum = sums[l] + in[right + l * laneStride];
        sum -= in[left + l * laneStride];
        sums[l] = sum;
        out[o + l * laneStride] = sum / size;
      }
    }
    for (int k = 0; k < leadIn; k++, left += step, o += step) {
      size--;
      for (int l = 0; l < lanes; l++) {
        sums[l] -= in[left + l * laneStride];
        out[o + l * laneStride] = sums[l] / size;
      }
    }
  }

  private static int quality(float[] cells) {
    int gradients = 0;
    for (int i = 0; i < CELLS - 1; i++) {
      for (int j = 0; j < CELLS; j++) {
        gradients += Math.abs((int) ((cells[i * CELLS + j] - cells[(i + 1) * CELLS + j]) * 100 / 255));
      }
    }
    for (int i = 0; i < CELLS; i++) {
      for (int j = 0; j < CELLS - 1; j++) {
        gradients += Math.abs((int) ((cells[i * CELLS + j] - cells[i * CELLS + j + 1]) * 100 / 255));
      }
    }
    // PDQ's heuristic scale: a typical photo lands near 100.
    return Math.min(100, gradients / 90);
  }

  /** {@code out = D cells D^T} with D the 16x64 DCT-II rows 1..16 (the DC row left out). */
  private static void dct(float[] cells, float[] out) {
    float[] t = new float[FREQUENCIES * CELLS];
    for (int i = 0; i < FREQUENCIES; i++) {
      for (int k = 0; k < CELLS; k++) {
        float d = DCT[i * CELLS + k];
        int row = k * CELLS;
        int ti = i * CELLS;
        for (int j = 0; j < CELLS; j++) {
          t[ti + j] += d * cells[row + j];
        }
      }
    }
    for (int i = 0; i < FREQUENCIES; i++) {
      for (int j = 0; j < FREQUENCIES; j++) {
        float sum = 0;
        for (int k = 0; k < CELLS; k++) {
          sum += t[i * CELLS + k] * DCT[j * CELLS + k];
        }
        out[i * FREQUENCIES + j] = sum;
      }
    }
  }

  private static float[] dctMatrix() {
    float[] d = new float[FREQUENCIES * CELLS];
    double scale = Math.sqrt(2.0 / CELLS);
    for (int i = 0; i < FREQUENCIES; i++) {
      for (int j = 0; j < CELLS; j++) {
        d[i * CELLS + j] = (float) (scale * Math.cos(Math.PI / 2 / CELLS * (i + 1) * (2 * j + 1)));
      }
    }
    return d;
  }

  /** Bit {@code k} set where coefficient {@code k} exceeds the lower median (the 128th smallest). */
  private static PdqHash toBits(float[] coefficients) {
    float[] sorted = coefficients.clone();
    Arrays.sort(sorted);
    float median = sorted[sorted.length / 2 - 1];
    long[] w = new long[4];
    for (int k = 0; k < coefficients.length; k++) {
      if (coefficients[k] > median) {
        w[k >>> 6] |= 1L << (k & 63);
      }
    }
    return new PdqHash(w[0], w[1], w[2], w[3]);
  }

  /** Reads one row of a picture as packed RGB, straight from the common raster layouts. */
  @FunctionalInterface
  private interface RowReader {
    void read(int y, int[] rgb);

    static RowReader of(BufferedImage image) {
      Raster raster = image.getRaster();
      int width = image.getWidth();
      int tx = raster.getSampleModelTranslateX();
      int ty = raster.getSampleModelTranslateY();
      DataBuffer buffer = raster.getDataBuffer();
      int type = image.getType();
      if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
          && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
          && buffer instanceof DataBufferInt ints && ints.getNumBanks() == 1) {
        int[] data = ints.getData();
        int stride = sm.getScanlineStride();
        int offset = ints.getOffset();
        return (y, rgb) -> System.arraycopy(data, offset + (y - ty) * stride - tx, rgb, 0, width);
      }
      if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
          && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
          && buffer instanceof DataBufferByte bytes && bytes.getNumBanks() == 1) {
        byte[] data = bytes.getData();
        int stride = sm.getScanlineStride();
        int step = sm.getPixelStride();
        int[] bands = sm.getBandOffsets();
        int offset = bytes.getOffset();
        int rOff = bands[0];
        int gOff = bands[1];
        int bOff = bands[2];
        return (y, rgb) -> {
          int p = offset + (y - ty) * stride - tx * step;
          for (int x = 0; x < width; x++, p += step) {
            rgb[x] = (data[p + rOff] & 0xff) << 16 | (data[p + gOff] & 0xff) << 8 | (data[p + bOff] & 0xff);
          }
        };
      }
      return (y, rgb) -> image.getRGB(0, y, width, 1, rgb, 0, width);
    }
  }
}
