package dev.f2p.core.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encoding and decoding streams that never leave memory. ImageIO's conveniences over plain streams
 * ({@code ImageIO.write(image, format, OutputStream)}, {@code ImageIO.read(InputStream)},
 * {@code createImageInputStream}, {@code createImageOutputStream}) cache through a temporary file
 * ({@code imageio*.tmp} in {@code java.io.tmpdir}) unless the host turned ImageIO's cache off for the whole
 * JVM: every face photo and generated image would be written to disk, where a crash leaves it and other
 * processes may read it, and each image would cost a file's creation and deletion. Every module encodes and
 * decodes image bytes through here, or through a {@link MemoryCacheImageInputStream} of its own.
 */
public final class InMemoryImages {
  private InMemoryImages() {}

  /**
   * Encodes {@code image} as a PNG with no metadata at all.
   *
   * @param image the pixels
   * @return the PNG bytes
   */
  public static byte[] png(BufferedImage image) {
    return encode(image, "png", 0);
  }

  /**
   * Encodes {@code image} with ImageIO's writer for {@code formatName}, with no metadata.
   *
   * @param image the pixels
   * @param formatName an ImageIO format name the JDK writes ({@code png}, {@code jpeg})
   * @param quality 1..100 for a lossy format's explicit quality; 0 for the writer's default
   * @return the encoded bytes
   * @throws IllegalStateException when this JVM has no writer for the format
   */
  public static byte[] encode(BufferedImage image, String formatName, int quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(formatName);
    if (!writers.hasNext()) {
      throw new IllegalStateException("no " + formatName + " writer in this JVM");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() + 1024);
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (quality > 0) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      // Only a memory stream is written to: this is the writer failing, not I/O.
      throw new UncheckedIOException("in-memory image encoding failed", e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * A stream over {@code bytes} for an {@code ImageReader}, cached in memory.
   *
   * @param bytes the encoded image
   * @return a stream the caller closes
   */
  public static ImageInputStream input(byte[] bytes) {
    return new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
  }
}
