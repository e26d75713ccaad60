package dev.f2p.core.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;
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
 * decodes image bytes through here.
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
   * A stream over {@code bytes} for an {@code ImageReader}. It reads the array in place: unlike
   * {@link MemoryCacheImageInputStream} it copies nothing into a cache of its own and registers nothing
   * with Java2D's disposer thread, whose lock every such stream takes once (a measurable part of decoding a
   * small image, and a second copy of every upload).
   *
   * @param bytes the encoded image, not modified while the stream is in use
   * @return a stream the caller closes
   */
  public static ImageInputStream input(byte[] bytes) {
    return new ByteArrayImageInputStream(bytes);
  }

  /** A seekable stream over an array; ImageInputStreamImpl keeps the position, marks and bit offset. */
  private static final class ByteArrayImageInputStream extends ImageInputStreamImpl {
    private final byte[] bytes;

    ByteArrayImageInputStream(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() throws IOException {
      checkClosed();
      bitOffset = 0;
      return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      checkClosed();
      Objects.checkFromIndexSize(off, len, b.length);
      bitOffset = 0;
      if (len == 0) {
        return 0;
      }
      if (streamPos >= bytes.length) {
        return -1;
      }
      int n = (int) Math.min(len, bytes.length - streamPos);
      System.arraycopy(bytes, (int) streamPos, b, off, n);
      streamPos += n;
      return n;
    }

    @Override
    public long length() {
      return bytes.length;
    }

    /**
     * Empty, as in the JDK's memory-cached stream: the inherited finalizer only closes, which holds nothing
     * here, and an empty one spares every instance the JVM's finalizer registration.
     */
    @Override
    @SuppressWarnings({"deprecation", "removal", "Finalize"})
    protected void finalize() {}
  }
}
