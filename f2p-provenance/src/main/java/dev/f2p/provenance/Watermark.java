package dev.f2p.provenance;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The keyed invisible watermark: a 64-bit payload plus a 24-bit keyed check, convolutionally coded, in the
 * luma of the image's Haar LL band (2x2 averages), in 8x8 DCT blocks of that band. Each block carries
 * four bits as the sign of the difference of two mid-band coefficients of similar frequency, so
 * brightness and contrast changes (which scale or shift coefficients) keep the sign. The coded bits and a
 * keyed synchronisation pattern fill a tile of 64 blocks repeated over the image; a decoder that does not
 * know where a crop started searches every pixel offset of the block grid and every tile phase, scoring
 * each by the sync pattern, then decodes the best candidates and accepts only a keyed check that matches.
 * The tile is 8x8 blocks (128x128 pixels) where both sides hold it; a narrower image gets a strip of the
 * same 64 blocks laid along its long side (16x4, 32x2 or 64x1 blocks), chosen from the image's size, so
 * the decoder finds the same shape again ({@link Tile#of}). An image that holds no tile cannot be marked.
 *
 * <p>Immutable and thread-safe.
 */
final class Watermark {
  /** The shortest side a mark fits (a strip of 64x1 blocks, 16 pixels high, 1024 long). */
  static final int MIN_SIDE = 2 * 8;
  static final int PAYLOAD_BITS = 64;
  private static final int CHECK_BITS = 24;
  private static final int N = 8;
  private static final int P = 8;
  /** Coefficient pairs (u1, v1, u2, v2) whose difference's sign carries a bit. */
  private static final int[][] PAIRS = {{1, 2, 2, 1}, {1, 3, 3, 1}, {2, 3, 3, 2}, {1, 4, 4, 1}};
  private static final int K = PAIRS.length;
  private static final int SLOTS = P * P * K;
  private static final int CODED = 2 * (PAYLOAD_BITS + CHECK_BITS + ConvolutionalCode.TAIL);
  private static final float[][] BASIS = basisDifferences();
  /** Below this sync score a candidate is never decoded: keeps unmarked images from being read. */
  private static final float MIN_SYNC = 0.18f;
  /** At or above this sync score a candidate is decoded at once, and a match ends the search. */
  private static final float STRONG_SYNC = 0.5f;
  private static final int CANDIDATES = 6;
  private static final float SOFT_KNEE = 2f;
  /** The mean squared luma change allowed: 38.5 dB PSNR, leaving room for rounding and clipping. */
  private static final double MAX_MSE = 255.0 * 255.0 / Math.pow(10, 3.85);

  private final byte[] macKey;
  private final float margin;
  private final float cap;
  /** Per tile slot: index into the coded bits, or -1 for a sync slot. */
  private final int[] slotBit = new int[SLOTS];
  /** Per tile slot: the keyed sign (scrambles data bits, is the expected value of sync bits). */
  private final float[] slotSign = new float[SLOTS];
  private final int[] syncSlots;

  Watermark(byte[] key, double strength) {
    this.macKey = hmac(key, "f2p-watermark-v1 check".getBytes(StandardCharsets.UTF_8));
    this.margin = (float) (10 * strength);
    this.cap = (float) (36 * strength);
    long seed = toLong(hmac(key, "f2p-watermark-v1 layout".getBytes(StandardCharsets.UTF_8)), 0);
    SplitMix random = new SplitMix(seed);
    int[] perm = new int[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
      perm[i] = i;
    }
    for (int i = SLOTS - 1; i > 0; i--) {
      int j = (int) Long.remainderUnsigned(random.next(), i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    Arrays.fill(slotBit, -1);
    syncSlots = new int[SLOTS - CODED];
    for (int i = 0; i < SLOTS; i++) {
      if (i < CODED) {
        slotBit[perm[i]] = i;
      } else {
        syncSlots[i - CODED] = perm[i];
      }
      slotSign[perm[i]] = (random.next() & 1) == 0 ? 1f : -1f;
    }
  }

  /** Whether an image of this size can carry the whole mark. */
  static boolean fits(int width, int height) {
    return Tile.of(width, height) != null;
  }

  /**
   * The arrangement of the tile's 64 blocks for an image: {@code cols x rows} blocks. 8x8 where both sides
   * hold 8 blocks; otherwise the strip whose short side is the largest power of two the short side holds,
   * along the long side; {@code null} when even that does not fit.
   */
  record Tile(int cols, int rows) {
    static final Tile SQUARE = new Tile(P, P);

    static @Nullable Tile of(int width, int height) {
      int bw = width / 2 / N;
      int bh = height / 2 / N;
      if (bw >= P && bh >= P) {
        return SQUARE;
      }
      int shortSide = Integer.highestOneBit(Math.max(1, Math.min(bw, bh)));
      int longSide = P * P / shortSide;
      if (Math.min(bw, bh) < 1 || Math.max(bw, bh) < longSide) {
        return null;
      }
      return bw >= bh ? new Tile(longSide, shortSide) : new Tile(shortSide, longSide);
    }

    /** The tile cell of block {@code (bx, by)}. */
    int cell(int bx, int by) {
      return (by % rows) * cols + bx % cols;
    }

    /** The cell whose content sits in {@code cell} when the tile starts at phase {@code (px, py)}. */
    int source(int cell, int px, int py) {
      return ((cell / cols) - py + rows) % rows * cols + ((cell % cols) - px + cols) % cols;
    }
  }

  /** Marks a {@code TYPE_INT_RGB} image in place; the caller verifies with {@link #decode}. */
  void embed(BufferedImage image, long payload) {
    int w = image.getWidth();
    int h = image.getHeight();
    Tile tile = Tile.of(w, h);
    if (tile == null) {
      throw new IllegalArgumentException("a " + w + "x" + h + " image cannot carry the mark");
    }
    int[] rgb = Pixels.live(image);
    float[] ll = lowBand(rgb, w, h, 0, 0);
    int w2 = w / 2;
    int h2 = h / 2;
    float[] change = new float[w2 * h2];
    boolean[] coded = codeword(payload);
    int bw = w2 / N;
    int bh = h2 / N;
    // Pass 1: how far each bit's coefficient difference must move (signed), 0 where it already holds.
    float[] moves = new float[bw * bh * K];
    float[] block = new float[N * N];
    for (int by = 0; by < bh; by++) {
      for (int bx = 0; bx < bw; bx++) {
        read(ll, w2, bx * N, by * N, block);
        int cell = tile.cell(bx, by) * K;
        for (int k = 0; k < K; k++) {
          int slot = cell + k;
          boolean bit = slotBit[slot] < 0 || coded[slotBit[slot]];
          float sign = (bit ? 1f : -1f) * slotSign[slot];
          float need = margin - sign * dot(BASIS[k], block);
          moves[(by * bw + bx) * K + k] = need > 0 ? sign * Math.min(need, cap) : 0f;
        }
      }
    }
    // Pass 2: spend the PSNR budget on the cheapest moves first; a bit that would cost more is left to the
    // error-correcting code, which mends a few wrong bits more cheaply than textured blocks can be moved.
    keepAffordable(moves, MAX_MSE * ((double) w * h) / 4);
    for (int by = 0; by < bh; by++) {
      for (int bx = 0; bx < bw; bx++) {
        for (int k = 0; k < K; k++) {
          float move = moves[(by * bw + bx) * K + k];
          if (move == 0f) {
            continue;
          }
          float[] b = BASIS[k];
          for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
              change[(by * N + y) * w2 + bx * N + x] += move / 2f * b[y * N + x];
            }
          }
        }
      }
    }
    for (int y = 0; y < 2 * h2; y++) {
      for (int x = 0; x < 2 * w2; x++) {
        float c = change[(y / 2) * w2 + x / 2];
        if (c != 0f) {
          int i = y * w + x;
          int p = rgb[i];
          rgb[i] = (p & 0xff000000) | clamp(((p >> 16) & 0xff) + c) << 16
              | clamp(((p >> 8) & 0xff) + c) << 8 | clamp((p & 0xff) + c);
        }
      }
    }
  }

  /**
   * Zeroes the moves that do not fit: cheapest first, while the band's squared change stays within
   * {@code budget} (a move of m changes two orthonormal coefficients by m/2 each).
   */
  private static void keepAffordable(float[] moves, double budget) {
    long[] order = new long[moves.length];
    int n = 0;
    for (int i = 0; i < moves.length; i++) {
      if (moves[i] != 0f) {
        // Non-negative floats sort like their bits: the magnitude in the high word, the index in the low.
        order[n++] = (long) Float.floatToIntBits(Math.abs(moves[i])) << 32 | i;
      }
    }
    Arrays.sort(order, 0, n);
    double energy = 0;
    for (int i = 0; i < n; i++) {
      int index = (int) order[i];
      energy += moves[index] * moves[index] / 2.0;
      if (energy > budget) {
        moves[index] = 0f;
      }
    }
  }

  /** The payload, if this key's watermark is present; empty for unmarked or too-damaged images. */
  Optional<Long> decode(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    Tile tile = Tile.of(w, h);
    if (tile == null) {
      return Optional.empty();
    }
    int[] rgb = Pixels.read(image);
    float[] best = new float[CANDIDATES * 5];
    for (int parity = 0; parity < 4; parity++) {
      // A crop by an odd number of pixels moves the 2x2 grid by half a band pixel: try both phases.
      int sx = parity & 1;
      int sy = parity >> 1;
      float[] ll = lowBand(rgb, w, h, sx, sy);
      Optional<Long> found = search(tile, ll, (w - sx) / 2, (h - sy) / 2, best);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private Optional<Long> search(Tile tile, float[] ll, int w2, int h2, float[] best) {
    float[] acc = new float[SLOTS];
    float[] count = new float[P * P];
    float[] block = new float[N * N];
    Arrays.fill(best, Float.NEGATIVE_INFINITY);
    for (int oy = 0; oy < N; oy++) {
      for (int ox = 0; ox < N; ox++) {
        accumulate(tile, ll, w2, h2, ox, oy, acc, count, block);
        float[] phase = bestPhase(tile, acc, count);
        if (phase[0] >= STRONG_SYNC) {
          Optional<Long> early = tryDecode(tile, acc, count, (int) phase[1], (int) phase[2]);
          if (early.isPresent()) {
            return early;
          }
        }
        offer(best, phase[0], ox, oy, phase[1], phase[2]);
      }
    }
    for (int c = 0; c < CANDIDATES; c++) {
      float score = best[c * 5];
      if (score < MIN_SYNC) {
        break;
      }
      accumulate(tile, ll, w2, h2, (int) best[c * 5 + 1], (int) best[c * 5 + 2], acc, count, block);
      Optional<Long> found = tryDecode(tile, acc, count, (int) best[c * 5 + 3], (int) best[c * 5 + 4]);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** The best sync score at this grid offset over all tile phases: {score, px, py}. */
  private float[] bestPhase(Tile tile, float[] acc, float[] count) {
    float bestScore = Float.NEGATIVE_INFINITY;
    int bestX = 0;
    int bestY = 0;
    for (int py = 0; py < tile.rows(); py++) {
      for (int px = 0; px < tile.cols(); px++) {
        float sum = 0;
        float n = 0;
        for (int slot : syncSlots) {
          int src = tile.source(slot / K, px, py);
          sum += slotSign[slot] * acc[src * K + slot % K];
          n += count[src];
        }
        float score = n == 0 ? 0 : sum / n;
        if (score > bestScore) {
          bestScore = score;
          bestX = px;
          bestY = py;
        }
      }
    }
    return new float[] {bestScore, bestX, bestY};
  }

  private Optional<Long> tryDecode(Tile tile, float[] acc, float[] count, int px, int py) {
    float[] soft = new float[CODED];
    for (int slot = 0; slot < SLOTS; slot++) {
      int bit = slotBit[slot];
      if (bit >= 0) {
        int src = tile.source(slot / K, px, py);
        float n = count[src];
        soft[bit] = n == 0 ? 0 : slotSign[slot] * acc[src * K + slot % K] / n;
      }
    }
    boolean[] bits = ConvolutionalCode.decode(soft);
    long payload = 0;
    for (int i = 0; i < PAYLOAD_BITS; i++) {
      payload = (payload << 1) | (bits[i] ? 1 : 0);
    }
    int check = 0;
    for (int i = 0; i < CHECK_BITS; i++) {
      check = (check << 1) | (bits[PAYLOAD_BITS + i] ? 1 : 0);
    }
    return check == check(payload) ? Optional.of(payload) : Optional.empty();
  }

  private static void offer(float[] best, float score, float ox, float oy, float px, float py) {
    for (int c = 0; c < CANDIDATES; c++) {
      if (score > best[c * 5]) {
        System.arraycopy(best, c * 5, best, (c + 1) * 5, (CANDIDATES - c - 1) * 5);
        best[c * 5] = score;
        best[c * 5 + 1] = ox;
        best[c * 5 + 2] = oy;
        best[c * 5 + 3] = px;
        best[c * 5 + 4] = py;
        return;
      }
    }
  }

  /** Folds the soft bits of every whole block at this grid offset into one tile. */
  private void accumulate(Tile tile, float[] ll, int w2, int h2, int ox, int oy, float[] acc, float[] count,
      float[] block) {
    Arrays.fill(acc, 0f);
    Arrays.fill(count, 0f);
    for (int by = 0; oy + (by + 1) * N <= h2; by++) {
      for (int bx = 0; ox + (bx + 1) * N <= w2; bx++) {
        read(ll, w2, ox + bx * N, oy + by * N, block);
        int cell = tile.cell(bx, by);
        count[cell]++;
        for (int k = 0; k < K; k++) {
          float v = dot(BASIS[k], block) / margin;
          acc[cell * K + k] += soft(v);
        }
      }
    }
  }

  /**
   * How much a difference of {@code t} margins says about its bit: linear up to the margin, full up to
   * {@value #SOFT_KNEE} margins, then falling off, because a difference far beyond the margin is the
   * picture's own texture (where embedding could not afford to move it) as often as it is the mark.
   */
  static float soft(float t) {
    float a = Math.abs(t);
    float v = a <= 1f ? a : a <= SOFT_KNEE ? 1f : SOFT_KNEE / a;
    return t < 0 ? -v : v;
  }

  private boolean[] codeword(long payload) {
    boolean[] info = new boolean[PAYLOAD_BITS + CHECK_BITS];
    for (int i = 0; i < PAYLOAD_BITS; i++) {
      info[i] = ((payload >>> (PAYLOAD_BITS - 1 - i)) & 1) == 1;
    }
    int check = check(payload);
    for (int i = 0; i < CHECK_BITS; i++) {
      info[PAYLOAD_BITS + i] = ((check >>> (CHECK_BITS - 1 - i)) & 1) == 1;
    }
    return ConvolutionalCode.encode(info);
  }

  private int check(long payload) {
    byte[] bytes = new byte[8];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (payload >>> (56 - 8 * i));
    }
    byte[] mac = hmac(macKey, bytes);
    return ((mac[0] & 0xff) << 16) | ((mac[1] & 0xff) << 8) | (mac[2] & 0xff);
  }

  /** Luma of each 2x2 group, averaged (the Haar LL band up to scale). */
  private static float[] lowBand(int[] rgb, int w, int h, int sx, int sy) {
    int w2 = (w - sx) / 2;
    int h2 = (h - sy) / 2;
    float[] ll = new float[w2 * h2];
    for (int y = 0; y < 2 * h2; y++) {
      int row = (y / 2) * w2;
      for (int x = 0; x < 2 * w2; x++) {
        int p = rgb[(y + sy) * w + x + sx];
        ll[row + x / 2] += 0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
      }
    }
    for (int i = 0; i < ll.length; i++) {
      ll[i] *= 0.25f;
    }
    return ll;
  }

  private static void read(float[] ll, int w2, int x0, int y0, float[] block) {
    for (int y = 0; y < N; y++) {
      System.arraycopy(ll, (y0 + y) * w2 + x0, block, y * N, N);
    }
  }

  private static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static int clamp(float v) {
    int r = Math.round(v);
    return r < 0 ? 0 : Math.min(r, 255);
  }

  /** For each pair, the orthonormal DCT basis image of the first coefficient minus that of the second. */
  private static float[][] basisDifferences() {
    float[][] out = new float[K][N * N];
    for (int k = 0; k < K; k++) {
      for (int y = 0; y < N; y++) {
        for (int x = 0; x < N; x++) {
          out[k][y * N + x] = (float) (basis(PAIRS[k][0], PAIRS[k][1], x, y) - basis(PAIRS[k][2], PAIRS[k][3], x, y));
        }
      }
    }
    return out;
  }

  private static double basis(int u, int v, int x, int y) {
    double cu = u == 0 ? Math.sqrt(1.0 / N) : Math.sqrt(2.0 / N);
    double cv = v == 0 ? Math.sqrt(1.0 / N) : Math.sqrt(2.0 / N);
    return cu * cv * Math.cos((2 * x + 1) * u * Math.PI / (2 * N)) * Math.cos((2 * y + 1) * v * Math.PI / (2 * N));
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
    }
  }

  static long toLong(byte[] bytes, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[offset + i] & 0xff);
    }
    return v;
  }

  /** SplitMix64: a small deterministic generator for the keyed layout (not for secrets). */
  private static final class SplitMix {
    private long state;

    SplitMix(long seed) {
      this.state = seed;
    }

    long next() {
      long z = (state += 0x9E3779B97F4A7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
