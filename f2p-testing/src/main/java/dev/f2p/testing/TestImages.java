package dev.f2p.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** The test trees' shared pictures: drawn ones, encoded with ImageIO, and the shared test-data folder. */
public final class TestImages {
  private TestImages() {}

  /**
   * A file under the shared test-data folder ({@code f2p.shared.dir}, set by Surefire).
   *
   * @param first the first path element under it
   * @param more further elements
   * @return the path
   */
  public static Path shared(String first, String... more) {
    String dir = System.getProperty("f2p.shared.dir", "../../shared");
    return Path.of(dir, first).resolve(Path.of("", more));
  }

  /**
   * A file's bytes.
   *
   * @param file the file
   * @return its bytes
   */
  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A grey picture with a red block in its top-left corner and a blue one at its bottom-right.
   *
   * @param width its width
   * @param height its height
   * @return the picture, {@code TYPE_INT_RGB}
   */
  public static BufferedImage picture(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.GRAY);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.RED);
    g.fillRect(0, 0, width / 4, height / 4);
    g.setColor(Color.BLUE);
    g.fillRect(width - width / 4, height - height / 4, width / 4, height / 4);
    g.dispose();
    return img;
  }

  /**
   * A smooth gradient, different in every pixel (for tests that compare pixels after an edit).
   *
   * @param width its width
   * @param height its height
   * @return the picture, {@code TYPE_INT_RGB}
   */
  public static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x40);
      }
    }
    return image;
  }

  /**
   * Encodes with ImageIO.
   *
   * @param img the picture
   * @param format an ImageIO format name ({@code png}, {@code jpeg})
   * @return the encoded bytes
   * @throws IllegalStateException when ImageIO has no writer for the format
   */
  public static byte[] encode(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // In memory, as the library encodes (see ImageIoDiskCache).
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      if (!ImageIO.write(img, format, stream)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * {@link #picture} as PNG.
   *
   * @param width its width
   * @param height its height
   * @return PNG bytes
   */
  public static byte[] png(int width, int height) {
    return encode(picture(width, height), "png");
  }

  /**
   * {@link #picture} as JPEG.
   *
   * @param width its width
   * @param height its height
   * @return JPEG bytes
   */
  public static byte[] jpeg(int width, int height) {
    return encode(picture(width, height), "jpeg");
  }
}
