package dev.f2p.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Two operations timed against each other in wall-clock time, robust on a shared machine: a JMH benchmark
 * calls {@link #pair} from one thread, which runs both once (which one goes first alternates) so a change of
 * load hits both alike; {@link #endIteration} after each iteration records the per-call means, and
 * {@link #report} prints the mean of each and of their per-iteration ratio with its 99.9 % confidence
 * interval (Student's t), as JMH words its errors. Not thread-safe: one per benchmark thread.
 */
public final class Interleaved {
  private final String first;
  private final String second;
  private final String unit;
  private final double nanosPerUnit;
  private long firstNanos;
  private long secondNanos;
  private long pairs;
  private final List<double[]> iterations = new ArrayList<>();

  /**
   * @param first the measured operation's name
   * @param second the baseline's name (the ratio is first / second)
   * @param unit the unit printed: {@code "ms"} or {@code "us"}
   */
  public Interleaved(String first, String second, String unit) {
    this.first = first;
    this.second = second;
    this.unit = unit;
    this.nanosPerUnit = unit.equals("ms") ? 1e6 : 1e3;
  }

  /**
   * Runs both once, in alternating order, and adds their times.
   *
   * @return one of the results, for JMH to consume
   */
  public Object pair(Callable<?> measured, Callable<?> baseline) throws Exception {
    boolean measuredFirst = (pairs & 1) == 0;
    long t0 = System.nanoTime();
    Object a = measuredFirst ? measured.call() : baseline.call();
    long t1 = System.nanoTime();
    Object b = measuredFirst ? baseline.call() : measured.call();
    long t2 = System.nanoTime();
    firstNanos += measuredFirst ? t1 - t0 : t2 - t1;
    secondNanos += measuredFirst ? t2 - t1 : t1 - t0;
    pairs++;
    return a == null ? b : a;
  }

  /** Records and prints this iteration's means, and starts the next. */
  public void endIteration() {
    if (pairs > 0) {
      double a = firstNanos / nanosPerUnit / pairs;
      double b = secondNanos / nanosPerUnit / pairs;
      iterations.add(new double[] {a, b, a / b});
      System.out.printf(Locale.ROOT, "  iteration: %s %.3f %s, %s %.3f %s, ratio %.4f (%d pairs)%n", first, a, unit,
          second, b, unit, a / b, pairs);
    }
    firstNanos = 0;
    secondNanos = 0;
    pairs = 0;
  }

  /**
   * Prints the summary over the last {@code measured} iterations (JMH runs the warmup ones first).
   *
   * @param measured the measurement iterations
   */
  public void report(int measured) {
    int keep = Math.min(iterations.size(), measured);
    List<double[]> rows = iterations.subList(iterations.size() - keep, iterations.size());
    if (rows.size() < 2) {
      return;
    }
    System.out.printf(Locale.ROOT, "%nInterleaved, %d iterations: %s %s %s, %s %s %s, %s / %s %s%n", rows.size(),
        first, stats(rows, 0), unit, second, stats(rows, 1), unit, first, second, stats(rows, 2));
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
