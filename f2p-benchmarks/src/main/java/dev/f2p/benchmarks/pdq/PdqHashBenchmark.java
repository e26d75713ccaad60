package dev.f2p.benchmarks.pdq;

import dev.f2p.security.pdq.PdqDihedralHashes;
import dev.f2p.security.pdq.PdqFingerprint;
import dev.f2p.security.pdq.PdqHasher;
import java.awt.image.BufferedImage;
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
 * PDQ of one decoded picture (target: under 5 ms at 512x512). {@code 3BYTE_BGR} is what ImageIO decodes a
 * JPEG to, {@code INT_RGB} what an engine typically hands back; 1600x1004 shows the cost of averaging a
 * larger picture down first. {@code dihedral} derives the eight rotations and flips from one DCT,
 * {@code orientations} hashes each on its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PdqHashBenchmark {
  @Param({"512x512:3BYTE_BGR", "512x512:INT_RGB", "1600x1004:3BYTE_BGR"})
  public String picture;

  private final PdqHasher hasher = PdqHasher.create();
  private BufferedImage image;

  @Setup
  public void setUp() {
    String[] parts = picture.split("[x:]");
    int width = Integer.parseInt(parts[0]);
    int height = Integer.parseInt(parts[1]);
    int type = parts[2].equals("INT_RGB") ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_3BYTE_BGR;
    image = new BufferedImage(width, height, type);
    SplittableRandom rng = new SplittableRandom(1);
    // Smooth shapes plus noise: a photo-like spread of frequencies, so the median split is realistic.
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (int) (127 + 80 * Math.sin(x / 37.0) * Math.cos(y / 23.0)) + rng.nextInt(40);
        int g = (int) (127 + 80 * Math.cos((x + y) / 51.0)) + rng.nextInt(40);
        int b = (x * 255 / width + y * 255 / height) / 2;
        image.setRGB(x, y, Math.min(255, r) << 16 | Math.min(255, g) << 8 | b);
      }
    }
  }

  @Benchmark
  public PdqFingerprint hash() {
    return hasher.hash(image);
  }

  @Benchmark
  public PdqDihedralHashes dihedral() {
    return hasher.dihedral(image);
  }

  /** What the hash-list check runs by default: every orientation hashed on its own. */
  @Benchmark
  public PdqDihedralHashes orientations() {
    return hasher.orientations(image);
  }
}
