package dev.f2p.security.pdq;

import java.util.function.IntConsumer;

/**
 * Multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming Space with Multi-Index
 * Hashing", CVPR 2012) over 256-bit hashes cut into {@value #CHUNKS} chunks of 16 bits, each chunk a
 * directly addressed table of 65536 buckets.
 *
 * <p>Why it finds every hash within distance {@code d}: if each of the 16 chunks differed from the query's
 * in more than {@code r = floor(d / 16)} bits, the whole hash would differ in at least {@code 16 (r + 1) > d}
 * bits. So every hash within {@code d} agrees with the query within {@code r} bits on some chunk, and
 * probing, per chunk, every bucket within {@code r} bits of the query's chunk finds it. For PDQ's usual
 * {@code d = 31}, {@code r = 1}: 17 buckets per chunk, 272 in all, about 15 hashes each for a million
 * random hashes. Immutable after construction, so safe to share between threads.
 */
final class MultiIndex {
  static final int CHUNKS = 16;
  /** The largest searchable distance: radius 3 per chunk, 697 buckets per chunk. */
  static final int MAX_DISTANCE = 63;
  private static final int BUCKETS = 1 << 16;
  // MASKS[r]: every 16-bit mask with at most r bits set, fewest bits first.
  private static final int[][] MASKS = masks(MAX_DISTANCE / CHUNKS);

  private final long[] words;
  private final int size;
  private final int[][] starts = new int[CHUNKS][];
  private final int[][] ids = new int[CHUNKS][];

  /** Indexes {@code size} hashes stored four words each in {@code words}; does not copy it. */
  MultiIndex(long[] words, int size) {
    this.words = words;
    this.size = size;
    for (int c = 0; c < CHUNKS; c++) {
      int[] start = new int[BUCKETS + 1];
      for (int i = 0; i < size; i++) {
        start[chunk(words, i, c) + 1]++;
      }
      for (int b = 0; b < BUCKETS; b++) {
        start[b + 1] += start[b];
      }
      int[] fill = java.util.Arrays.copyOf(start, BUCKETS);
      int[] bucketed = new int[size];
      for (int i = 0; i < size; i++) {
        bucketed[fill[chunk(words, i, c)]++] = i;
      }
      starts[c] = start;
      ids[c] = bucketed;
    }
  }

  /**
   * Calls {@code found} once for each hash within {@code maxDistance} of the query (given as its four
   * words); {@code maxDistance} must be 0..{@value #MAX_DISTANCE}.
   */
  void search(long q0, long q1, long q2, long q3, int maxDistance, IntConsumer found) {
    int radius = maxDistance / CHUNKS;
    int[] masks = MASKS[radius];
    long[] q = {q0, q1, q2, q3};
    for (int c = 0; c < CHUNKS; c++) {
      int queryChunk = (int) (q[c >>> 2] >>> ((c & 3) << 4)) & 0xffff;
      int[] start = starts[c];
      int[] bucketed = ids[c];
      for (int mask : masks) {
        int bucket = queryChunk ^ mask;
        for (int k = start[bucket], end = start[bucket + 1]; k < end; k++) {
          int id = bucketed[k];
          if (distance(id, q0, q1, q2, q3) <= maxDistance && !foundInEarlierChunk(id, q, c, radius)) {
            found.accept(id);
          }
        }
      }
    }
  }

  int distance(int id, long q0, long q1, long q2, long q3) {
    int base = id << 2;
    return Long.bitCount(words[base] ^ q0) + Long.bitCount(words[base + 1] ^ q1)
        + Long.bitCount(words[base + 2] ^ q2) + Long.bitCount(words[base + 3] ^ q3);
  }

  int size() {
    return size;
  }

  /** Whether an earlier chunk already led to {@code id}: so each hit is reported once. */
  private boolean foundInEarlierChunk(int id, long[] q, int chunk, int radius) {
    for (int c = 0; c < chunk; c++) {
      int queryChunk = (int) (q[c >>> 2] >>> ((c & 3) << 4)) & 0xffff;
      if (Integer.bitCount(chunk(words, id, c) ^ queryChunk) <= radius) {
        return true;
      }
    }
    return false;
  }

  private static int chunk(long[] words, int id, int c) {
    return (int) (words[(id << 2) + (c >>> 2)] >>> ((c & 3) << 4)) & 0xffff;
  }

  private static int[][] masks(int maxRadius) {
    int[][] out = new int[maxRadius + 1][];
    for (int r = 0; r <= maxRadius; r++) {
      int radius = r;
      out[r] = java.util.stream.IntStream.range(0, BUCKETS).boxed()
          .filter(m -> Integer.bitCount(m) <= radius)
          .sorted(java.util.Comparator.comparingInt(Integer::bitCount))
          .mapToInt(Integer::intValue).toArray();
    }
    return out;
  }
}
