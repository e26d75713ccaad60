package dev.f2p.engine.djl;

import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.ProgressListener;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;

/** The committed fixture bundles and keys, copied where a test may change them. */
final class TestBundles {
  static final Path MODELS = Path.of("").toAbsolutePath().getParent().resolve("models");
  /**
   * Copies of the committed bundles with owner-only write permissions: a checkout made under umask 002
   * leaves group-writable files, which the verifier rightly refuses.
   */
  private static final Path COPIES = copies();
  static final Path SINGLE_PASS = COPIES.resolve("single-pass");
  static final Path FLOW_MATCHING = COPIES.resolve("flow-matching");
  static final Path PUBLIC_KEY = MODELS.resolve("keys/test-signing-key.pub.pem");
  static final Path PRIVATE_KEY = MODELS.resolve("keys/test-signing-key.pem");

  private TestBundles() {}

  private static Path copies() {
    try {
      // Under target/, so a clean build removes them; one directory per JVM (tests start child JVMs).
      Path dir = Files.createDirectories(Path.of("target", "test-bundles", Long.toString(ProcessHandle.current().pid()))
          .toAbsolutePath());
      copy(MODELS.resolve("single-pass"), dir);
      copy(MODELS.resolve("flow-matching"), dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of {@code bundle} under {@code dir} (made owner-only), with permissions the verifier accepts. */
  static Path copy(Path bundle, Path dir) {
    try {
      Path target = BundleTools.copyWithSafePermissions(bundle, dir.resolve(bundle.getFileName()));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage face(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(200, 160, 120), w, h, new Color(60, 90, 140)));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(230, 190, 160));
    g.fillOval(w / 4, h / 6, w / 2, 2 * h / 3);
    g.dispose();
    return img;
  }

  static EngineRequest request(String prompt, int size, int steps, long seed) {
    return request(prompt, size, steps, seed, Instant.MAX, Clock.systemUTC(), ProgressListener.NONE);
  }

  static EngineRequest request(String prompt, int size, int steps, long seed, Instant deadline, Clock clock,
      ProgressListener progress) {
    return new EngineRequest("test", face(size, size), prompt, "blurry", size, size, steps, 4.0, seed, deadline,
        clock, progress);
  }

  static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }
}
