package dev.f2p.benchmarks.provenance;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.OutputContext;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.provenance.ProvenanceOutputPolicy;
import dev.f2p.provenance.ProvenanceReader;
import dev.f2p.provenance.WatermarkPayload;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The output policy's cost on a 512x512 output: label + watermark (with its read-back check) + PNG
 * encoding + XMP, against plain PNG encoding of the same image (target: under 3x); and reading the
 * watermark back from a marked image, untouched and after a crop that forces the full search
 * (target: under 20 ms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ProvenanceBenchmark {
  private static final byte[] KEY = "benchmark-watermark-key-0123456789".getBytes(StandardCharsets.UTF_8);

  private GeneratedImage generated;
  private OutputContext context;
  private final OutputPolicy plain = OutputPolicy.plainPng();
  private OutputPolicy provenance;
  private ProvenanceReader reader;
  private BufferedImage marked;
  private BufferedImage markedCropped;

  @Setup
  public void setUp() throws IOException {
    BufferedImage image = engineLike(512, 512);
    generated = new GeneratedImage(image, "bench-model");
    context = new OutputContext("bench-request", new Principal("bench", Set.of(Role.USER), "k1"),
        new ValidatedImage(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "PNG"));
    provenance = ProvenanceOutputPolicy.builder().producer("bench").watermarkKey(KEY).build();
    reader = ProvenanceReader.withWatermarkKey(KEY);
    Decision<OutputImage> out = provenance.apply(generated, context);
    marked = ImageIO.read(new ByteArrayInputStream(((Decision.Allowed<OutputImage>) out).value().bytes()));
    markedCropped = marked.getSubimage(13, 13, 486, 486);
    if (reader.readWatermark(marked).isEmpty() || reader.readWatermark(markedCropped).isEmpty()) {
      throw new IllegalStateException("benchmark image does not carry a readable watermark");
    }
  }

  @Benchmark
  public Decision<OutputImage> labelWatermarkEncode512() {
    return provenance.apply(generated, context);
  }

  @Benchmark
  public Decision<OutputImage> plainPngEncode512() {
    return plain.apply(generated, context);
  }

  @Benchmark
  public Optional<WatermarkPayload> watermarkDecode512() {
    return reader.readWatermark(marked);
  }

  @Benchmark
  public Optional<WatermarkPayload> watermarkDecodeCropped512() {
    return reader.readWatermark(markedCropped);
  }

  private static BufferedImage engineLike(int w, int h) {
    Random r = new Random(1);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(200, 170, 150), w, h, new Color(60, 80, 120)));
    g.fillRect(0, 0, w, h);
    for (int k = 0; k < 12; k++) {
      g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256), 160));
      int s = w / 8 + r.nextInt(w / 3);
      g.fillOval(r.nextInt(w) - s / 2, r.nextInt(h) - s / 2, s, s * 4 / 3);
    }
    g.dispose();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int n = (int) Math.round(r.nextGaussian() * 3);
        int p = image.getRGB(x, y);
        image.setRGB(x, y, clamp(((p >> 16) & 0xff) + n) << 16 | clamp(((p >> 8) & 0xff) + n) << 8 | clamp((p & 0xff) + n));
      }
    }
    return image;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
