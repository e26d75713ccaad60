package dev.f2p.security.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import dev.f2p.testing.TestImages;

/** Images built byte by byte for the tests: bombs, polyglots, truncations (the drawn ones are f2p-testing's {@link TestImages}). */
public final class CraftedImages {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private CraftedImages() {}

  /** One PNG chunk: length, type, data, CRC. */
  public static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * A valid-looking PNG of a few hundred bytes whose header claims {@code width x height} 8-bit RGB pixels:
   * correct CRCs, a small IDAT of deflated zeros (one scanline's worth).
   */
  public static byte[] bombPng(int width, int height) {
    byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0).array();
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[Math.min(width, 100_000) * 3 + 1]);
    deflater.finish();
    byte[] buf = new byte[4096];
    int n = deflater.deflate(buf);
    deflater.end();
    return concat(PNG_SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", Arrays.copyOf(buf, n)), chunk("IEND", new byte[0]));
  }

  /**
   * A valid PNG of {@code width x height} 16-bit RGBA pixels, all zero: every row is there (it decodes),
   * yet zlib shrinks 4096 x 4096 (128 MiB of samples) to about 130 KB.
   */
  public static byte[] zeroPng16(int width, int height) {
    byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 16).put((byte) 6)
        .put((byte) 0).put((byte) 0).put((byte) 0).array();
    Deflater deflater = new Deflater();
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[1 + width * 8];
    byte[] buf = new byte[64 * 1024];
    for (int y = 0; y < height; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.write(buf, 0, deflater.deflate(buf));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      idat.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return concat(PNG_SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", idat.toByteArray()), chunk("IEND", new byte[0]));
  }

  /** The PNG with {@code chunk} inserted just before IEND. */
  public static byte[] withChunkBeforeEnd(byte[] png, byte[] chunk) {
    int iend = png.length - 12;
    return concat(Arrays.copyOfRange(png, 0, iend), chunk, Arrays.copyOfRange(png, iend, png.length));
  }

  /** The JPEG with a segment (marker and payload) inserted right after SOI. */
  public static byte[] withSegmentAfterSoi(byte[] jpeg, int marker, byte[] payload) {
    ByteBuffer seg = ByteBuffer.allocate(4 + payload.length);
    seg.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
    return concat(Arrays.copyOfRange(jpeg, 0, 2), seg.array(), Arrays.copyOfRange(jpeg, 2, jpeg.length));
  }

  /** An EXIF APP1 payload (big-endian TIFF) holding only the orientation tag. */
  public static byte[] exifOrientation(int orientation) {
    ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4);
    b.put(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    b.put(new byte[] {'M', 'M', 0, 42}).putInt(8);          // TIFF header, IFD0 at offset 8
    b.putShort((short) 1);                                   // one entry
    b.putShort((short) 0x0112).putShort((short) 3).putInt(1) // Orientation, SHORT, count 1
        .putShort((short) orientation).putShort((short) 0);
    b.putInt(0);                                             // no next IFD
    return b.array();
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
