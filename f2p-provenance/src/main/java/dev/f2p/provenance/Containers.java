package dev.f2p.provenance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Puts an XMP packet into PNG and JPEG files and finds it again, walking chunks and segments by hand with
 * every length checked against what is left, so a hostile file ends the walk instead of the reader.
 */
final class Containers {
  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final String PNG_XMP_KEYWORD = "XML:com.adobe.xmp";
  private static final byte[] JPEG_XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final int MAX_CHUNKS = 100_000;

  private Containers() {}

  static boolean isPng(byte[] b) {
    return b.length >= 8 && Arrays.equals(b, 0, 8, PNG_SIGNATURE, 0, 8);
  }

  static boolean isJpeg(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
  }

  /** The PNG with an uncompressed {@code iTXt} XMP chunk right after {@code IHDR}. */
  static byte[] insertPngXmp(byte[] png, byte[] xmp) {
    int ihdrEnd = 8 + 4 + 4 + readInt(png, 8) + 4;
    ByteArrayOutputStream data = new ByteArrayOutputStream(xmp.length + 32);
    data.writeBytes(PNG_XMP_KEYWORD.getBytes(StandardCharsets.ISO_8859_1));
    data.writeBytes(new byte[] {0, 0, 0, 0, 0}); // end of keyword, not compressed, method, no language, no translation
    data.writeBytes(xmp);
    byte[] body = data.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + body.length + 12);
    out.write(png, 0, ihdrEnd);
    writeInt(out, body.length);
    byte[] type = "iTXt".getBytes(StandardCharsets.ISO_8859_1);
    out.writeBytes(type);
    out.writeBytes(body);
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(body);
    writeInt(out, (int) crc.getValue());
    out.write(png, ihdrEnd, png.length - ihdrEnd);
    return out.toByteArray();
  }

  /** The JPEG with an APP1 XMP segment after SOI and any APP0 (JFIF) segment. */
  static byte[] insertJpegXmp(byte[] jpeg, byte[] xmp) {
    int length = 2 + JPEG_XMP_HEADER.length + xmp.length;
    if (length > 0xffff) {
      throw new IllegalArgumentException("XMP packet too large for one APP1 segment: " + xmp.length);
    }
    int at = 2;
    if ((jpeg[2] & 0xff) == 0xff && (jpeg[3] & 0xff) == 0xe0) {
      at = 4 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + length + 2);
    out.write(jpeg, 0, at);
    out.write(0xff);
    out.write(0xe1);
    out.write(length >> 8);
    out.write(length & 0xff);
    out.writeBytes(JPEG_XMP_HEADER);
    out.writeBytes(xmp);
    out.write(jpeg, at, jpeg.length - at);
    return out.toByteArray();
  }

  /** The first XMP packet of a PNG whose chunk CRC is right; empty for none or a malformed file. */
  static Optional<byte[]> pngXmp(byte[] png) {
    int pos = 8;
    for (int n = 0; n < MAX_CHUNKS && pos + 12 <= png.length; n++) {
      long length = readInt(png, pos) & 0xffffffffL;
      if (length > png.length - pos - 12L) {
        return Optional.empty();
      }
      int len = (int) length;
      String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
      if (type.equals("iTXt")) {
        CRC32 crc = new CRC32();
        crc.update(png, pos + 4, 4 + len);
        if ((int) crc.getValue() == readInt(png, pos + 8 + len)) {
          Optional<byte[]> xmp = iTxtXmp(Arrays.copyOfRange(png, pos + 8, pos + 8 + len));
          if (xmp.isPresent()) {
            return xmp;
          }
        }
      }
      if (type.equals("IEND")) {
        break;
      }
      pos += 12 + len;
    }
    return Optional.empty();
  }

  private static Optional<byte[]> iTxtXmp(byte[] data) {
    int keywordEnd = indexOf(data, 0);
    if (keywordEnd < 0 || !PNG_XMP_KEYWORD.equals(new String(data, 0, keywordEnd, StandardCharsets.ISO_8859_1))
        || keywordEnd + 3 > data.length) {
      return Optional.empty();
    }
    boolean compressed = data[keywordEnd + 1] != 0;
    int languageEnd = indexOf(data, keywordEnd + 3);
    int translatedEnd = languageEnd < 0 ? -1 : indexOf(data, languageEnd + 1);
    if (translatedEnd < 0) {
      return Optional.empty();
    }
    byte[] text = Arrays.copyOfRange(data, translatedEnd + 1, data.length);
    return compressed ? inflate(text, Xmp.MAX_PACKET) : Optional.of(text);
  }

  /** The first XMP packet of a JPEG before its image data; empty for none or a malformed file. */
  static Optional<byte[]> jpegXmp(byte[] jpeg) {
    int pos = 2;
    for (int n = 0; n < MAX_CHUNKS && pos + 4 <= jpeg.length; n++) {
      if ((jpeg[pos] & 0xff) != 0xff) {
        return Optional.empty();
      }
      int marker = jpeg[pos + 1] & 0xff;
      if (marker == 0xff) {
        pos++; // fill byte
        continue;
      }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        pos += 2;
        continue;
      }
      if (marker == 0xda || marker == 0xd9) {
        break;
      }
      int length = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
      if (length < 2 || pos + 2 + length > jpeg.length) {
        return Optional.empty();
      }
      int start = pos + 4;
      int end = pos + 2 + length;
      if (marker == 0xe1 && end - start >= JPEG_XMP_HEADER.length
          && Arrays.equals(jpeg, start, start + JPEG_XMP_HEADER.length, JPEG_XMP_HEADER, 0, JPEG_XMP_HEADER.length)) {
        return Optional.of(Arrays.copyOfRange(jpeg, start + JPEG_XMP_HEADER.length, end));
      }
      pos = end;
    }
    return Optional.empty();
  }

  private static Optional<byte[]> inflate(byte[] data, int max) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return Optional.empty();
        }
        if (out.size() + n > max) {
          return Optional.empty();
        }
        out.write(buf, 0, n);
      }
      return Optional.of(out.toByteArray());
    } catch (DataFormatException e) {
      return Optional.empty();
    } finally {
      inflater.end();
    }
  }

  private static int indexOf(byte[] data, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
