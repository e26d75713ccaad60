package dev.f2p.benchmarks.moderation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A companion to {@link NsfwClassifierBenchmark} for shared machines: the same three operations timed in
 * CPU time of the calling thread (with one PyTorch thread the forward pass runs on it), interleaved so load
 * changes hit all three alike; medians over {@code rounds}. Wall-clock JMH figures stay the reference; these
 * show the ratio when other processes take most of the CPU.
 *
 * <pre>
 * java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *     -cp f2p-benchmarks/target/benchmarks.jar dev.f2p.benchmarks.moderation.NsfwClassifierCpuTime [rounds]
 * </pre>
 */
public final class NsfwClassifierCpuTime {
  private NsfwClassifierCpuTime() {}

  /**
   * Runs the measurement and prints the medians.
   *
   * @param args optionally the number of rounds (default 200)
   * @throws Exception when the model cannot be loaded or run
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    NsfwClassifierBenchmark b = new NsfwClassifierBenchmark();
    b.setUp();
    try {
      for (int i = 0; i < 30; i++) {
        b.classify512();
        b.bareForward();
        b.preprocess512();
      }
      long[][] cpu = new long[3][rounds];
      for (int i = 0; i < rounds; i++) {
        long t0 = threads.getCurrentThreadCpuTime();
        b.classify512();
        long t1 = threads.getCurrentThreadCpuTime();
        b.bareForward();
        long t2 = threads.getCurrentThreadCpuTime();
        b.preprocess512();
        long t3 = threads.getCurrentThreadCpuTime();
        cpu[0][i] = t1 - t0;
        cpu[1][i] = t2 - t1;
        cpu[2][i] = t3 - t2;
      }
      double classify = median(cpu[0]);
      double bare = median(cpu[1]);
      double preprocess = median(cpu[2]);
      System.out.printf(Locale.ROOT, "CPU time per op, median of %d: classify512 %.2f ms, bareForward %.2f ms, "
          + "preprocess512 %.2f ms; classify512 / bareForward = %.3f%n", rounds, classify, bare, preprocess,
          classify / bare);
    } finally {
      b.tearDown();
    }
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }
}
