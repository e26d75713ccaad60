package dev.f2p.provenance;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.OutputContext;
import dev.f2p.core.spi.ValidatedImage;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Shared test inputs: the images under {@code f2p.shared.dir} and synthetic engine-like outputs. */
final class TestImages {
  static final byte[] KEY = "test-watermark-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  private TestImages() {}

  record Named(String name, BufferedImage image) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Path sharedImages() {
    return Path.of(System.getProperty("f2p.shared.dir", "../../shared")).resolve("images");
  }

  /** One shared image by its path under shared/images, as RGB. */
  static BufferedImage shared(String path) {
    try {
      return Attacks.rgb(ImageIO.read(sharedImages().resolve(path).toFile()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  /** Every image under shared/images that ImageIO decodes, as RGB. */
  static List<Named> shared() {
    List<Named> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sharedImages())) {
      for (Path p : files.filter(f -> f.toString().matches(".*\\.(png|jpg|jpeg)")).sorted().toList()) {
        try {
          BufferedImage image = ImageIO.read(p.toFile());
          if (image != null) {
            out.add(new Named(sharedImages().relativize(p).toString(), Attacks.rgb(image)));
          }
        } catch (IOException | RuntimeException e) {
          // the broken PngSuite files: not images, nothing to measure
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + sharedImages(), e);
    }
    return out;
  }

  /** Synthetic outputs in the shape of an engine's: smooth portrait-like gradients with soft shapes and grain. */
  static List<Named> engineLike() {
    List<Named> out = new ArrayList<>();
    int[][] sizes = {{512, 512}, {768, 512}, {256, 256}, {1024, 1024}};
    for (int i = 0; i < sizes.length; i++) {
      int w = sizes[i][0];
      int h = sizes[i][1];
      Random r = new Random(1000 + i);
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(new GradientPaint(0, 0, new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)), w, h,
          new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256))));
      g.fillRect(0, 0, w, h);
      for (int k = 0; k < 12; k++) {
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256), 160));
        int s = w / 8 + r.nextInt(w / 3);
        g.fillOval(r.nextInt(w) - s / 2, r.nextInt(h) - s / 2, s, (int) (s * 1.3));
      }
      g.dispose();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = image.getRGB(x, y);
          int n = (int) Math.round(r.nextGaussian() * 3);
          image.setRGB(x, y, clamp(((p >> 16) & 0xff) + n) << 16 | clamp(((p >> 8) & 0xff) + n) << 8 | clamp((p & 0xff) + n));
        }
      }
      out.add(new Named("engine-like-" + w + "x" + h, image));
    }
    return out;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  static BufferedImage flat(int w, int h, int rgb) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(rgb));
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }

  static GeneratedImage generated(BufferedImage image) {
    return new GeneratedImage(image, "test-model-1");
  }

  static OutputContext context(String requestId) {
    return new OutputContext(requestId, new Principal("alice", Set.of(Role.USER), "key-1"),
        new ValidatedImage(flat(8, 8, 0x808080), "PNG"));
  }

  static double psnr(BufferedImage a, BufferedImage b) {
    double se = 0;
    int w = a.getWidth();
    int h = a.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int s = 0; s < 24; s += 8) {
          int d = ((p >> s) & 0xff) - ((q >> s) & 0xff);
          se += d * d;
        }
      }
    }
    return se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / (se / (3.0 * w * h)));
  }
}
