package dev.f2p.engine.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.internal.InMemoryImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** Hostile answer images: each is refused before any pixel is decoded, with a reason safe for the log. */
class AnswerImageTest {
  private static byte[] png(int w, int h) {
    return InMemoryImages.png(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB));
  }

  private static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(type.getBytes(StandardCharsets.US_ASCII));
    crc.update(data);
    return b.putInt((int) crc.getValue()).array();
  }

  /** A hand-made PNG with the given header fields and a small zlib stream, CRCs correct. */
  private static byte[] handMade(int w, int h, int depth, int colour, String extraChunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) depth).put((byte) colour)
        .put((byte) 0).put((byte) 0).put((byte) 0).array()));
    if (extraChunk != null) {
      out.writeBytes(chunk(extraChunk, new byte[] {1, 2, 3}));
    }
    Deflater d = new Deflater();
    d.setInput(new byte[64]);
    d.finish();
    byte[] z = new byte[128];
    int n = d.deflate(z);
    out.writeBytes(chunk("IDAT", Arrays.copyOf(z, n)));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static void refused(byte[] bytes, int w, int h, String reason) {
    assertThatThrownBy(() -> AnswerImage.decode(bytes, w, h)).isInstanceOfSatisfying(CallException.class, e -> {
      assertThat(e.kind()).isEqualTo(CallException.Kind.BAD_ANSWER);
      assertThat(e.getMessage()).isEqualTo(reason);
    });
  }

  @Test
  void anOrdinaryPngOfTheSizeAskedForDecodesToRgb() throws Exception {
    BufferedImage image = AnswerImage.decode(png(64, 48), 64, 48);
    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(image.getWidth()).isEqualTo(64);
  }

  @Test
  void rgbAndRgbaAnswersKeepEveryPixelExactly() throws Exception {
    java.util.Random random = new java.util.Random(7);
    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB}) {
      BufferedImage sent = new BufferedImage(61, 37, type); // odd sizes: no row padding assumed
      for (int y = 0; y < 37; y++) {
        for (int x = 0; x < 61; x++) {
          sent.setRGB(x, y, 0xff000000 | random.nextInt(1 << 24));
        }
      }
      BufferedImage got = AnswerImage.decode(InMemoryImages.png(sent), 61, 37);
      assertThat(got.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 37; y++) {
        for (int x = 0; x < 61; x++) {
          assertThat(got.getRGB(x, y)).as("(%d, %d) of type %d", x, y, type).isEqualTo(sent.getRGB(x, y));
        }
      }
    }
  }

  @Test
  void aDecompressionBombHeaderIsRefusedBeforeDecoding() {
    refused(handMade(100_000, 100_000, 8, 2, null), 64, 48,
        "answer image is 100000x100000, not the 64x48 asked for");
    refused(handMade(-1, -1, 8, 2, null), 64, 48, "answer image is 4294967295x4294967295, not the 64x48 asked for");
  }

  @Test
  void otherFormatsAndOddPngsAreRefused() {
    refused("GIF89a....".getBytes(StandardCharsets.US_ASCII), 64, 48, "answer is not a PNG image");
    byte[] jpeg = new byte[100];
    jpeg[0] = (byte) 0xff;
    jpeg[1] = (byte) 0xd8;
    refused(jpeg, 64, 48, "answer is not a PNG image");
    refused(handMade(64, 48, 16, 2, null), 64, 48, "answer PNG is not an 8-bit grey, RGB or RGBA image");
    refused(handMade(64, 48, 8, 3, null), 64, 48, "answer PNG is not an 8-bit grey, RGB or RGBA image");
    refused(handMade(64, 48, 8, 2, "XYZW"), 64, 48, "answer PNG has an unknown critical chunk");
    refused(handMade(64, 48, 8, 2, "IHDR"), 64, 48, "answer PNG has two headers");
  }

  @Test
  void corruptTruncatedOrPaddedPngsAreRefused() {
    byte[] good = png(64, 48);
    byte[] flipped = good.clone();
    flipped[40] ^= 1;
    refused(flipped, 64, 48, "answer PNG has a corrupt chunk");
    refused(Arrays.copyOf(good, good.length - 5), 64, 48, "answer PNG is truncated");
    byte[] padded = Arrays.copyOf(good, good.length + 10);
    refused(padded, 64, 48, "answer PNG has no data or bytes after its end");
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).putInt(33, 0x7fffffff);
    refused(huge, 64, 48, "answer PNG is truncated");
  }

  @Test
  void pixelsThatDoNotDecodeAreRefused() {
    refused(handMade(64, 48, 8, 2, null), 64, 48, "answer image does not decode: IIOException");
  }
}
