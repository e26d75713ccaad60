package dev.f2p.benchmarks;

import dev.f2p.core.internal.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The pipeline's own per-request overhead: fingerprinting a prompt (HMAC-SHA256 under the deployment key). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PipelineBenchmark {
  private final String prompt = "a portrait of the person in a sunlit garden, soft light".repeat(4);
  private final Fingerprints fingerprints =
      Fingerprints.withKey("benchmark fingerprint key".getBytes(StandardCharsets.UTF_8));

  @Benchmark
  public String promptFingerprint() {
    return fingerprints.prompt(prompt);
  }

  @Benchmark
  public byte[] promptBytesBaseline() {
    return prompt.getBytes(StandardCharsets.UTF_8);
  }
}
