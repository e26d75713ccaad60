package dev.f2p.benchmarks.moderation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The output classifier against DJL's bare forward pass in wall-clock time, robust on a shared machine:
 * both run in the same fork and the same thread, interleaved call by call (which one goes first alternates),
 * so a change of load hits both alike; many iterations. Each invocation of {@link #pair} runs
 * {@code classify512} and {@code bareForward} of {@link NsfwClassifierBenchmark} once each and adds their
 * wall-clock times; after each iteration the per-call means are recorded, and at the end the mean of each
 * and of their per-iteration ratio is printed with its 99.9 % confidence interval (Student's t), as JMH
 * words its errors. Target: {@code classify512} under 30 ms and the ratio at most 1.10.
 *
 * <pre>
 * java -jar f2p-benchmarks/target/benchmarks.jar NsfwClassifierInterleaved
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 20, time = 2)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"})
public class NsfwClassifierInterleaved {
  private final NsfwClassifierBenchmark ops = new NsfwClassifierBenchmark();
  private long classifyNanos;
  private long bareNanos;
  private long pairs;
  private final List<double[]> iterations = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ops.setUp();
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    classifyNanos = 0;
    bareNanos = 0;
    pairs = 0;
  }

  @Benchmark
  public Object pair() throws Exception {
    boolean classifyFirst = (pairs & 1) == 0;
    long t0 = System.nanoTime();
    Object first = classifyFirst ? ops.classify512() : ops.bareForward();
    long t1 = System.nanoTime();
    Object second = classifyFirst ? ops.bareForward() : ops.classify512();
    long t2 = System.nanoTime();
    classifyNanos += classifyFirst ? t1 - t0 : t2 - t1;
    bareNanos += classifyFirst ? t2 - t1 : t1 - t0;
    pairs++;
    return first == null ? second : first;
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    if (pairs == 0) {
      return;
    }
    double classify = classifyNanos / 1e6 / pairs;
    double bare = bareNanos / 1e6 / pairs;
    // JMH runs warmup iterations first: only the last @Measurement(iterations) ones are kept below.
    iterations.add(new double[] {classify, bare, classify / bare});
    System.out.printf(Locale.ROOT, "  iteration: classify512 %.3f ms, bareForward %.3f ms, ratio %.4f (%d pairs)%n",
        classify, bare, classify / bare, pairs);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ops.tearDown();
    int keep = Math.min(iterations.size(), measurementIterations());
    List<double[]> measured = iterations.subList(iterations.size() - keep, iterations.size());
    if (measured.size() < 2) {
      return;
    }
    System.out.printf(Locale.ROOT, "%nInterleaved, %d iterations: classify512 %s ms, bareForward %s ms,"
        + " classify512 / bareForward %s%n", measured.size(), stats(measured, 0), stats(measured, 1),
        stats(measured, 2));
  }

  private static int measurementIterations() {
    Measurement m = NsfwClassifierInterleaved.class.getAnnotation(Measurement.class);
    return Integer.getInteger("f2p.bench.iterations", m.iterations());
  }

  /** Mean ± half the 99.9 % confidence interval. */
  static String stats(List<double[]> rows, int column) {
    int n = rows.size();
    double mean = rows.stream().mapToDouble(r -> r[column]).average().orElse(Double.NaN);
    double var = rows.stream().mapToDouble(r -> (r[column] - mean) * (r[column] - mean)).sum() / (n - 1);
    double error = t999(n - 1) * Math.sqrt(var / n);
    return String.format(Locale.ROOT, column == 2 ? "%.4f ± %.4f" : "%.3f ± %.3f", mean, error);
  }

  /** Two-sided 99.9 % quantile of Student's t for {@code df} degrees of freedom (table, then the normal limit). */
  private static double t999(int df) {
    double[] table = {636.6, 31.60, 12.92, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587, 4.437, 4.318, 4.221,
        4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850, 3.819, 3.792, 3.768, 3.745, 3.725, 3.707, 3.690, 3.674,
        3.659, 3.646};
    return df <= table.length ? table[df - 1] : df <= 60 ? 3.460 : 3.291;
  }
}
