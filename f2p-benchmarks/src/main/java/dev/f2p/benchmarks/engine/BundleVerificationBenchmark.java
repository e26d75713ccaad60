package dev.f2p.benchmarks.engine;

import dev.f2p.engine.djl.BundleTools;
import dev.f2p.engine.djl.BundleVerifier;
import dev.f2p.engine.djl.VerifiedBundle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bundle verification speed: a whole {@link BundleVerifier#verify} of a bundle holding one {@code sizeMiB}
 * component against {@code sha256sum} of the same file (page cache warm for both). Per GB: multiply the
 * time by {@code 1024 / sizeMiB}. Target: {@code verify / sha256sum} close to 1.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BundleVerificationBenchmark {
  @Param("256")
  public int sizeMiB;

  private Path dir;
  private Path component;
  private BundleVerifier verifier;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("f2p-bench-bundle");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    component = dir.resolve("model.pt");
    byte[] block = new byte[1 << 20];
    Random random = new Random(7);
    try (OutputStream out = Files.newOutputStream(component)) {
      for (int i = 0; i < sizeMiB; i++) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    Files.writeString(dir.resolve("bundle.json"), """
        {"format": "f2p-bundle/1", "name": "bench", "version": "1", "kind": "single-pass",
         "input": {"width": 512, "height": 512, "normalization": "zero-one"},
         "prompt": {"encoding": "utf8-bytes", "max_tokens": 77},
         "components": {"model": {"file": "model.pt"}}}""", StandardCharsets.UTF_8);
    BundleTools.writeManifest(dir, "bench", "1", "single-pass");
    verifier = BundleVerifier.builder().build();
  }

  @TearDown
  public void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public VerifiedBundle verifyBundle() throws Exception {
    return verifier.verify(dir);
  }

  @Benchmark
  public int sha256sumBaseline() throws Exception {
    Process p = new ProcessBuilder("sha256sum", component.toString()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(new String(out, StandardCharsets.UTF_8));
    }
    return out.length;
  }
}
