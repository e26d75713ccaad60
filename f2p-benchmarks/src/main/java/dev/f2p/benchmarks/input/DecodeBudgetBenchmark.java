package dev.f2p.benchmarks.input;

import dev.f2p.security.image.DecodeBudget;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decode budget's bookkeeping: one reserve and its release for a 1024 x 1024 JPEG face's cost, on one
 * thread and on four sharing the budget. Target: under 1 µs. Baseline: an uncontended
 * {@link java.util.concurrent.Semaphore} acquire and release, the plainest admission there is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DecodeBudgetBenchmark {
  private static final long COST = 16L << 20;
  private final DecodeBudget budget = new DecodeBudget(256L << 20, 16);
  private final java.util.concurrent.Semaphore semaphore = new java.util.concurrent.Semaphore(16);

  @Benchmark
  public boolean reserveAndRelease() {
    boolean admitted = budget.tryReserve(COST, Duration.ZERO);
    if (admitted) {
      budget.release(COST);
    }
    return admitted;
  }

  @Benchmark
  @Threads(4)
  public boolean reserveAndReleaseFourThreads() {
    return reserveAndRelease();
  }

  @Benchmark
  public boolean semaphoreBaseline() {
    boolean admitted = semaphore.tryAcquire();
    if (admitted) {
      semaphore.release();
    }
    return admitted;
  }
}
