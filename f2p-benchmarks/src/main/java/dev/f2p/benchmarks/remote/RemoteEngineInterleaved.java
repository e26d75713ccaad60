package dev.f2p.benchmarks.remote;

import dev.f2p.benchmarks.Interleaved;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RemoteEngineBenchmark}'s two paths interleaved call by call in one thread ({@link Interleaved}), so
 * the ratio holds on a loaded machine where the separate scores swing: it prints the engine's and the bare
 * call's means and the ratio engine / bareHttp with a 99.9 % confidence interval, for the OpenAI protocol,
 * OIP REST and OIP gRPC. Target: at most 1.05.
 *
 * <p>Warm-up is 30 s: the engine's path is longer than the bare call's, and C2 is still compiling it well
 * after 5 s (on 2 cores, 2,400 compilations between 5 and 10 s, 230 per 5 s until 25 s, under 20 after 30 s).
 * With 5 s of warm-up the ratio measured the engine's JIT warm-up as much as its steady state.
 *
 * <pre>
 * java -jar f2p-benchmarks/target/benchmarks.jar RemoteEngineInterleaved
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 30, time = 1)
@Measurement(iterations = 30, time = 1)
@Threads(1)
@Fork(1)
public class RemoteEngineInterleaved {
  /** The protocol: {@code openai}, {@code oip-rest} or {@code oip-grpc}. */
  @Param({"openai", "oip-rest", "oip-grpc"})
  public String protocol = "openai";

  private final RemoteEngineBenchmark ops = new RemoteEngineBenchmark();
  private final Interleaved timing = new Interleaved("engine", "bareHttp", "us");

  @Setup(Level.Trial)
  public void start() throws Exception {
    ops.protocol = protocol;
    ops.start();
  }

  @Benchmark
  public Object pair() throws Exception {
    return timing.pair(ops::engine, ops::bareHttp);
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    timing.endIteration();
  }

  @TearDown(Level.Trial)
  public void stop() {
    ops.stop();
    Measurement m = RemoteEngineInterleaved.class.getAnnotation(Measurement.class);
    timing.report(Integer.getInteger("f2p.bench.iterations", m.iterations()));
  }
}
