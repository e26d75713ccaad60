package dev.f2p.engine.remote.internal;

import dev.f2p.core.internal.InMemoryImages;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * A model server's answer image, checked before any pixel is decoded. The answer is untrusted: it must be a
 * PNG (we ask for PNG and accept nothing else), every chunk must be whole with a correct CRC, the header must
 * declare exactly the size the request asked for in an ordinary 8-bit colour type, nothing may follow the end
 * chunk; only then does the JDK's PNG reader decode it, into a raster whose size the request, not the server,
 * chose. f2p-core ships an encoder but no decoder and this module does not depend on f2p-security's
 * validator, so this is the minimal re-validation of the one format we accept.
 */
public final class AnswerImage {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** Chunks a decoder may act on; anything else ancillary is skipped, anything else critical refused. */
  private static final int MAX_CHUNKS = 100_000;

  private AnswerImage() {}

  /**
   * Checks and decodes.
   *
   * @param bytes the answer's image bytes
   * @param width the width the request asked for
   * @param height the height the request asked for
   * @return RGB pixels of exactly that size
   * @throws CallException BAD_ANSWER, with a safe reason, when the bytes are anything else
   */
  public static BufferedImage decode(byte[] bytes, int width, int height) throws CallException {
    checkStructure(bytes, width, height);
    BufferedImage image;
    try (ImageInputStream in = InMemoryImages.input(bytes)) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
      if (!readers.hasNext()) {
        throw CallException.badAnswer("no PNG reader in this JVM");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw CallException.badAnswer("answer image does not decode: " + e.getClass().getSimpleName());
    }
    if (image == null || image.getWidth() != width || image.getHeight() != height) {
      throw CallException.badAnswer("answer image decoded to another size");
    }
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage packed = fromPlainBgr(image);
    if (packed != null) {
      return packed;
    }
    BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = rgb.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  /**
   * An 8-bit RGB PNG (what model servers send) decodes to interleaved BGR bytes; this packs them without
   * Java2D, whose {@code drawImage} costs more than the whole conversion for a small image (a native surface
   * and a disposer record for every destination). Null for any other layout, which Java2D converts.
   */
  private static @Nullable BufferedImage fromPlainBgr(BufferedImage image) {
    WritableRaster r = image.getRaster();
    int w = image.getWidth();
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR
        || !(r.getSampleModel() instanceof PixelInterleavedSampleModel sm)
        || !(r.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
        || buffer.getOffset() != 0 || r.getSampleModelTranslateX() != 0 || r.getSampleModelTranslateY() != 0
        || sm.getPixelStride() != 3 || sm.getScanlineStride() != 3 * w
        || !Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})) {
      return null;
    }
    byte[] bgr = buffer.getData();
    BufferedImage rgb = new BufferedImage(w, image.getHeight(), BufferedImage.TYPE_INT_RGB);
    int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    if (bgr.length < 3 * out.length) {
      return null;
    }
    for (int i = 0, j = 0; i < out.length; i++, j += 3) {
      out[i] = (bgr[j + 2] & 0xff) << 16 | (bgr[j + 1] & 0xff) << 8 | (bgr[j] & 0xff);
    }
    return rgb;
  }

  static void checkStructure(byte[] bytes, int width, int height) throws CallException {
    if (bytes.length < SIGNATURE.length + 12 + 13 + 12) {
      throw CallException.badAnswer("answer is not a PNG image");
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (bytes[i] != SIGNATURE[i]) {
        throw CallException.badAnswer("answer is not a PNG image");
      }
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.position(SIGNATURE.length);
    CRC32 crc = new CRC32();
    boolean first = true;
    boolean sawData = false;
    for (int chunks = 0; ; chunks++) {
      if (chunks >= MAX_CHUNKS || buf.remaining() < 12) {
        throw CallException.badAnswer("answer PNG is truncated");
      }
      long length = Integer.toUnsignedLong(buf.getInt());
      if (length > buf.remaining() - 8) {
        throw CallException.badAnswer("answer PNG is truncated");
      }
      int typeAt = buf.position();
      String type = new String(bytes, typeAt, 4, StandardCharsets.ISO_8859_1);
      crc.reset();
      crc.update(bytes, typeAt, 4 + (int) length);
      buf.position(typeAt + 4 + (int) length);
      if ((int) crc.getValue() != buf.getInt()) {
        throw CallException.badAnswer("answer PNG has a corrupt chunk");
      }
      if (first) {
        if (!type.equals("IHDR") || length != 13) {
          throw CallException.badAnswer("answer PNG has no header");
        }
        checkHeader(ByteBuffer.wrap(bytes, typeAt + 4, 13), width, height);
        first = false;
        continue;
      }
      switch (type) {
        case "IHDR" -> throw CallException.badAnswer("answer PNG has two headers");
        case "IDAT" -> sawData = true;
        case "IEND" -> {
          if (!sawData || buf.hasRemaining()) {
            throw CallException.badAnswer("answer PNG has no data or bytes after its end");
          }
          return;
        }
        default -> {
          if (Character.isUpperCase(type.charAt(0)) && !type.equals("PLTE")) {
            throw CallException.badAnswer("answer PNG has an unknown critical chunk");
          }
        }
      }
    }
  }

  private static void checkHeader(ByteBuffer h, int width, int height) throws CallException {
    int w = h.getInt();
    int ht = h.getInt();
    int depth = h.get() & 0xff;
    int colour = h.get() & 0xff;
    int compression = h.get() & 0xff;
    int filter = h.get() & 0xff;
    int interlace = h.get() & 0xff;
    if (w != width || ht != height) {
      throw CallException.badAnswer("answer image is " + Integer.toUnsignedString(w) + "x"
          + Integer.toUnsignedString(ht) + ", not the " + width + "x" + height + " asked for");
    }
    boolean ordinary = depth == 8 && (colour == 0 || colour == 2 || colour == 4 || colour == 6);
    if (!ordinary || compression != 0 || filter != 0 || interlace > 1) {
      throw CallException.badAnswer("answer PNG is not an 8-bit grey, RGB or RGBA image");
    }
  }
}
