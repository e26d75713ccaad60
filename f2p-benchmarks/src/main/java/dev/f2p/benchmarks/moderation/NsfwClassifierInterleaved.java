package dev.f2p.benchmarks.moderation;

import dev.f2p.benchmarks.Interleaved;
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
  private final Interleaved timing = new Interleaved("classify512", "bareForward", "ms");

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ops.setUp();
  }

  @Benchmark
  public Object pair() throws Exception {
    return timing.pair(ops::classify512, ops::bareForward);
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    timing.endIteration();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ops.tearDown();
    Measurement m = NsfwClassifierInterleaved.class.getAnnotation(Measurement.class);
    timing.report(Integer.getInteger("f2p.bench.iterations", m.iterations()));
  }
}
