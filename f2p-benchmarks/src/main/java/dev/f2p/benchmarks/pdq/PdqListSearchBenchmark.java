package dev.f2p.benchmarks.pdq;

import dev.f2p.security.pdq.PdqHash;
import dev.f2p.security.pdq.PdqHashList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Searching a list of one million PDQ hashes for the nearest within distance 31 (target: under 1 ms),
 * multi-index hashing against a linear scan of the same hashes (the baseline: a tight loop over the packed
 * words, four popcounts each). {@code hit}: the query lies 20 bits from a listed hash; {@code miss}: a
 * random query, the common case of a clean picture.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class PdqListSearchBenchmark {
  private static final int MAX_DISTANCE = 31;

  @Param({"1000000"})
  public int size;

  @Param({"hit", "miss"})
  public String query;

  private PdqHashList list;
  private long[] words;
  private PdqHash[] queries;
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(42);
    List<PdqHashList.Entry> entries = new ArrayList<>(size);
    words = new long[size * 4];
    for (int i = 0; i < size; i++) {
      PdqHash h = PdqHash.ofWords(rng.nextLong(), rng.nextLong(), rng.nextLong(), rng.nextLong());
      entries.add(new PdqHashList.Entry(h, ""));
      for (int w = 0; w < 4; w++) {
        words[i * 4 + w] = h.word(w);
      }
    }
    list = PdqHashList.of(entries);
    queries = new PdqHash[256];
    for (int q = 0; q < queries.length; q++) {
      if (query.equals("hit")) {
        PdqHash listed = entries.get(rng.nextInt(size)).hash();
        long[] w = {listed.word(0), listed.word(1), listed.word(2), listed.word(3)};
        for (int flipped = 0; flipped < 20; ) {
          int k = rng.nextInt(256);
          long mask = 1L << (k & 63);
          if ((w[k >>> 6] & mask) == (listed.word(k >>> 6) & mask)) {
            w[k >>> 6] ^= mask;
            flipped++;
          }
        }
        queries[q] = PdqHash.ofWords(w[0], w[1], w[2], w[3]);
      } else {
        queries[q] = PdqHash.ofWords(rng.nextLong(), rng.nextLong(), rng.nextLong(), rng.nextLong());
      }
    }
  }

  private PdqHash nextQuery() {
    return queries[next++ & (queries.length - 1)];
  }

  @Benchmark
  public Optional<PdqHashList.Match> multiIndex() {
    return list.findNearest(nextQuery(), MAX_DISTANCE);
  }

  @Benchmark
  public int linearScan() {
    PdqHash q = nextQuery();
    long q0 = q.word(0);
    long q1 = q.word(1);
    long q2 = q.word(2);
    long q3 = q.word(3);
    int best = -1;
    int bestDistance = MAX_DISTANCE + 1;
    for (int i = 0, b = 0; i < size; i++, b += 4) {
      int d = Long.bitCount(words[b] ^ q0) + Long.bitCount(words[b + 1] ^ q1)
          + Long.bitCount(words[b + 2] ^ q2) + Long.bitCount(words[b + 3] ^ q3);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }
}
