package dev.f2p.benchmarks.input;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.security.image.StandardImageValidator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
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
 * Image validation: the header check that refuses a 100000x100000 PNG bomb (target under 1 ms, no raster),
 * and full validation of {@code astronaut-face.jpg} (without the face check) against a plain
 * {@code ImageIO.read} of the same bytes. Reads the shared images from {@code f2p.shared.dir}, default
 * {@code ../shared}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
public class ImageValidationBenchmark {
  private static final Principal PRINCIPAL = new Principal("bench", Set.of(Role.USER), "bench");

  private StandardImageValidator validator;
  private byte[] bomb;
  private byte[] face;

  @Setup
  public void setUp() throws IOException {
    validator = StandardImageValidator.builder().withoutFaceCheck().build();
    bomb = bombPng(100_000, 100_000);
    face = Files.readAllBytes(Path.of(System.getProperty("f2p.shared.dir", "../shared"), "images", "faces",
        "astronaut-face.jpg"));
    if (validator.validate(bomb, PRINCIPAL).isAllowed() || !validator.validate(face, PRINCIPAL).isAllowed()) {
      throw new IllegalStateException("benchmark inputs are not what they should be");
    }
  }

  @Benchmark
  public Decision<ValidatedImage> bombHeaderCheck() {
    return validator.validate(bomb, PRINCIPAL);
  }

  @Benchmark
  public Decision<ValidatedImage> fullValidationJpeg() {
    return validator.validate(face, PRINCIPAL);
  }

  @Benchmark
  public BufferedImage imageIoReadBaseline() throws IOException {
    return ImageIO.read(new ByteArrayInputStream(face));
  }

  /** A PNG of a few hundred bytes whose header claims width x height 8-bit RGB pixels. */
  static byte[] bombPng(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    out.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0).array()));
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[width * 3 + 1]);
    deflater.finish();
    byte[] buf = new byte[4096];
    int n = deflater.deflate(buf);
    deflater.end();
    out.writeBytes(chunk("IDAT", java.util.Arrays.copyOf(buf, n)));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    return b.array();
  }
}
