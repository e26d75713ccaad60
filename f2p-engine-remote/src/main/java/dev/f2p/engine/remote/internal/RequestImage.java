package dev.f2p.engine.remote.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The validated input as the servers receive it: pixels re-encoded as a PNG with no metadata, so nothing
 * of the upload's own bytes (chunks, comments, polyglot tails) reaches a model server.
 */
public final class RequestImage {
  private RequestImage() {}

  /**
   * Encodes {@code image} as a metadata-free PNG.
   *
   * @param image the validated pixels
   * @return the PNG bytes
   */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() + 1024);
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
