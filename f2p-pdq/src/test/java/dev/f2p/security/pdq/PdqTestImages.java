package dev.f2p.security.pdq;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** The shared PDQ test vectors (read through {@code f2p.shared.dir}). */
final class PdqTestImages {
  private PdqTestImages() {}

  static Path dir() {
    return Path.of(System.getProperty("f2p.shared.dir", "../../shared"), "images", "pdq");
  }

  static BufferedImage read(String relative) {
    try {
      BufferedImage image = ImageIO.read(dir().resolve(relative).toFile());
      if (image == null) {
        throw new IllegalStateException("no decoder for " + relative);
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Image path (relative to the PDQ folder) to its reference hash. */
  static Map<String, PdqHash> expected() {
    try {
      Map<String, PdqHash> out = new LinkedHashMap<>();
      List<String> lines = Files.readAllLines(dir().resolve("expected-hashes.tsv"));
      for (String line : lines) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t");
        out.put(parts[1].trim(), PdqHash.fromHex(parts[0].trim()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
