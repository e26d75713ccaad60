package dev.f2p.moderation;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** The shared test pictures (beside the checkout) and this module's crafted ones. */
final class TestImages {
  /**
   * Pictures from {@code ../shared/images}: a face crop, non-faces, photos larger and smaller than 224 (the
   * resize shrinks and enlarges), JPEG and PNG, grey and with alpha. The grey gradient {@code basn0g08} is a
   * false positive of the model (Porn about 0.73), kept because a faithful port must reproduce it.
   */
  static final List<String> SHARED = List.of(
      "faces/astronaut-face.jpg", "non-faces/chelsea.png", "non-faces/coffee.png", "non-faces/rocket.jpg",
      "pdq/bridge-mods/square-256x256.jpg", "pdq/misc-images/small.jpg", "pngsuite/basn0g08.png",
      "pngsuite/basn6a08.png");
  /** The 512x512 portrait, as the engine would return it. */
  static final String PORTRAIT = "faces/astronaut.png";
  /**
   * Noise-like pictures crafted against the classifier (make_adversarial.py) that it calls Porn, Hentai and
   * Sexy: a refusal can be tested without committing explicit pictures.
   */
  static final List<String> CRAFTED = List.of("crafted-porn.png", "crafted-hentai.png", "crafted-sexy.png");

  private TestImages() {}

  static Path sharedDir() {
    return Path.of(System.getProperty("f2p.shared.dir", "../../shared")).resolve("images");
  }

  static BufferedImage shared(String name) {
    return read(sharedDir().resolve(name));
  }

  static BufferedImage crafted(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream("/adversarial/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource adversarial/" + name);
      }
      return require(ImageIO.read(in), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return require(ImageIO.read(in), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy as TYPE_INT_RGB, the engine's output type. */
  static BufferedImage intRgb(BufferedImage source) {
    BufferedImage copy = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
    copy.createGraphics().drawImage(source, 0, 0, null);
    return copy;
  }

  private static BufferedImage require(BufferedImage image, String name) {
    if (image == null) {
      throw new IllegalStateException("ImageIO cannot read " + name);
    }
    return image;
  }
}
