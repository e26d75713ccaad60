package dev.f2p.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.OutputContext;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.testing.ImageIoDiskCache;
import dev.f2p.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

/**
 * Faces and generated images never pass through ImageIO's temporary files: every encode and decode runs with
 * that cache on but unusable ({@link ImageIoDiskCache}), where a disk-cached stream fails.
 */
class InMemoryImagesTest {
  private static final BufferedImage PICTURE = TestImages.picture(48, 32);

  @Test
  void theFixtureCatchesImageIoConveniencesThatCacheOnDisk() {
    // What the library did before: ImageIO.write to an OutputStream and ImageIO.read from an InputStream.
    assertThatThrownBy(() -> ImageIoDiskCache.unusableDuring(
        () -> ImageIO.write(PICTURE, "png", new ByteArrayOutputStream())))
        .isInstanceOfAny(java.io.IOException.class, IllegalArgumentException.class);
    byte[] png = InMemoryImages.png(PICTURE);
    assertThatThrownBy(() -> ImageIoDiskCache.unusableDuring(() -> ImageIO.read(new ByteArrayInputStream(png))))
        .isInstanceOfAny(java.io.IOException.class, IllegalArgumentException.class);
  }

  @Test
  void thePlainPngOutputPolicyEncodesInMemory() throws Exception {
    Decision<OutputImage> d = ImageIoDiskCache.unusableDuring(() -> OutputPolicy.plainPng().apply(
        new GeneratedImage(PICTURE, "m"), new OutputContext("r", new Principal("u", Set.of(Role.USER), "k"),
            new ValidatedImage(PICTURE, "png"))));
    assertThat(d).isInstanceOf(Decision.Allowed.class);
    OutputImage out = ((Decision.Allowed<OutputImage>) d).value();
    assertThat(out.mediaType()).isEqualTo("image/png");
    assertSamePixels(decode(out.bytes()), PICTURE);
  }

  @Test
  void pngAndJpegEncodeAndDecodeInMemory() throws Exception {
    byte[] png = ImageIoDiskCache.unusableDuring(() -> InMemoryImages.png(PICTURE));
    byte[] jpeg = ImageIoDiskCache.unusableDuring(() -> InMemoryImages.encode(PICTURE, "jpeg", 90));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(jpeg).startsWith(0xff, 0xd8);
    assertSamePixels(ImageIoDiskCache.unusableDuring(() -> decode(png)), PICTURE);
    assertThat(ImageIoDiskCache.unusableDuring(() -> decode(jpeg)).getWidth()).isEqualTo(48);
  }

  @Test
  void theInputStreamReadsTheArrayAsAFileWouldBeRead() throws Exception {
    byte[] bytes = {1, 2, 3, (byte) 0xfe, 5};
    ImageInputStream in = InMemoryImages.input(bytes);
    assertThat(in.length()).isEqualTo(5);
    byte[] all = new byte[8];
    assertThat(in.read(all, 1, 7)).isEqualTo(5);
    assertThat(all).containsExactly(0, 1, 2, 3, 0xfe, 5, 0, 0);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(all, 0, 1)).isEqualTo(-1);
    assertThat(in.read(all, 0, 0)).isZero();
    in.seek(3);
    assertThat(in.read()).isEqualTo(0xfe);
    in.seek(1);
    assertThat(in.readBits(4)).isZero();
    assertThat(in.read()).as("a byte read drops the bit offset, on the same byte").isEqualTo(2);
    in.seek(Integer.MAX_VALUE + 10L);
    assertThat(in.read()).isEqualTo(-1);
    assertThatThrownBy(() -> in.read(all, 6, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    in.close();
    assertThatThrownBy(in::read).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aFormatWithoutAWriterIsAFault() {
    assertThatThrownBy(() -> InMemoryImages.encode(PICTURE, "no-such-format", 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such-format");
  }

  private static BufferedImage decode(byte[] bytes) throws Exception {
    try (ImageInputStream in = InMemoryImages.input(bytes)) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      try {
        reader.setInput(in, true, true);
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    }
  }

  private static void assertSamePixels(BufferedImage actual, BufferedImage expected) {
    assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
    assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
    for (int y = 0; y < expected.getHeight(); y++) {
      for (int x = 0; x < expected.getWidth(); x++) {
        assertThat(actual.getRGB(x, y)).isEqualTo(expected.getRGB(x, y));
      }
    }
  }
}
