package dev.f2p.security.image;

import static dev.f2p.security.testing.CraftedImages.ascii;
import static dev.f2p.security.testing.CraftedImages.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.Face;
import dev.f2p.core.spi.FaceDetector;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.security.testing.CraftedImages;
import dev.f2p.testing.ImageIoDiskCache;
import dev.f2p.testing.TestImages;
import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StandardImageValidatorTest {
  static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "key-1");
  static final ImageValidator NO_FACES = StandardImageValidator.builder().withoutFaceCheck().build();

  static Rejection rejection(Decision<ValidatedImage> d) {
    assertThat(d).isInstanceOf(Decision.Rejected.class);
    Rejection r = ((Decision.Rejected<ValidatedImage>) d).rejection();
    assertThat(r.reason()).isEqualTo(ReasonCode.IMAGE_REJECTED);
    return r;
  }

  static ValidatedImage accepted(Decision<ValidatedImage> d) {
    assertThat(d).as("%s", d).isInstanceOf(Decision.Allowed.class);
    return ((Decision.Allowed<ValidatedImage>) d).value();
  }

  static String detail(ImageValidator v, byte[] bytes) {
    return rejection(v.validate(bytes, ALICE)).detail();
  }

  @Nested
  class PngSuite {
    static final ImageValidator ANY_SIZE = StandardImageValidator.builder().minSide(1).withoutFaceCheck().build();

    static Stream<Path> files(boolean broken) throws IOException {
      try (Stream<Path> s = Files.list(TestImages.shared("images", "pngsuite"))) {
        return s.filter(p -> p.getFileName().toString().endsWith(".png"))
            .filter(p -> p.getFileName().toString().startsWith("x") == broken)
            .sorted().toList().stream();
      }
    }

    static Stream<Path> valid() throws IOException {
      return files(false);
    }

    static Stream<Path> broken() throws IOException {
      return files(true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void everyValidFileIsAccepted(Path file) {
      ValidatedImage image = accepted(ANY_SIZE.validate(TestImages.read(file), ALICE));
      assertThat(image.format()).isEqualTo("PNG");
      assertThat(image.pixels().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void everyBrokenFileIsRefusedWithATypedReason(Path file) {
      assertThat(detail(ANY_SIZE, TestImages.read(file))).isIn("CORRUPT", "FORMAT_NOT_ALLOWED");
    }

    @Test
    void checksumErrorsThatDecodersIgnoreAreCaught() {
      for (String name : List.of("xcsn0g01.png", "xhdn0g08.png")) {
        assertThat(detail(ANY_SIZE, TestImages.read(TestImages.shared("images", "pngsuite", name))))
            .isEqualTo("CORRUPT");
      }
    }
  }

  @Test
  void sharedFacePhotosAreAcceptedWithoutAFaceDetector() {
    for (String name : List.of("astronaut-face.png", "astronaut-face.jpg", "astronaut.png")) {
      ValidatedImage image = accepted(NO_FACES.validate(TestImages.read(TestImages.shared("images", "faces", name)), ALICE));
      assertThat(image.pixels().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }
  }

  @Test
  void anUploadedFaceIsDecodedWithoutTouchingTheDisk() throws Exception {
    for (String name : List.of("astronaut-face.png", "astronaut-face.jpg")) {
      byte[] upload = TestImages.read(TestImages.shared("images", "faces", name));
      ValidatedImage image = accepted(ImageIoDiskCache.unusableDuring(() -> NO_FACES.validate(upload, ALICE)));
      assertThat(image.pixels().getWidth()).isPositive();
    }
  }

  @Test
  void oneValidatorServesManyThreads() throws Exception {
    byte[] png = TestImages.png(200, 150);
    byte[] jpeg = TestImages.jpeg(150, 200);
    byte[] bomb = CraftedImages.bombPng(100_000, 100_000);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        byte[] input = i % 3 == 0 ? png : i % 3 == 1 ? jpeg : bomb;
        results.add(pool.submit(() -> NO_FACES.validate(input, ALICE) instanceof Decision.Allowed<ValidatedImage> a
            ? a.value().width() + "x" + a.value().height() : "REJECTED"));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(i % 3 == 0 ? "200x150" : i % 3 == 1 ? "150x200" : "REJECTED");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Nested
  class Formats {
    static Stream<Arguments> notAllowed() {
      BufferedImage pic = TestImages.picture(80, 80);
      return Stream.of(
          Arguments.of("gif", TestImages.encode(pic, "gif")),
          Arguments.of("bmp", TestImages.encode(pic, "bmp")),
          Arguments.of("tiff", TestImages.encode(pic, "tiff")),
          Arguments.of("svg", ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"80\" height=\"80\"/>")),
          Arguments.of("xml svg", ascii("<?xml version=\"1.0\"?><svg/>")),
          Arguments.of("pdf", ascii("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF")),
          Arguments.of("zip", concat(new byte[] {'P', 'K', 3, 4}, new byte[100])),
          Arguments.of("html", ascii("<html><body>hi</body></html>")),
          Arguments.of("empty", new byte[0]),
          Arguments.of("one byte", new byte[] {(byte) 0xFF}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notAllowed")
    void otherFormatsAreRefusedAs415(String name, byte[] bytes) {
      Rejection r = rejection(NO_FACES.validate(bytes, ALICE));
      assertThat(r.detail()).isEqualTo("FORMAT_NOT_ALLOWED");
      assertThat(r.httpStatus()).isEqualTo(415);
    }

    @Test
    void animatedPngIsRefused() {
      byte[] apng = CraftedImages.withChunkBeforeEnd(TestImages.png(80, 80), CraftedImages.chunk("acTL", new byte[8]));
      assertThat(detail(NO_FACES, apng)).isEqualTo("FORMAT_NOT_ALLOWED");
    }

    @Test
    void formatComesFromTheBytesNotTheAllowList() {
      ImageValidator pngOnly = StandardImageValidator.builder().formats(Set.of(ImageFormat.PNG)).withoutFaceCheck().build();
      assertThat(detail(pngOnly, TestImages.jpeg(100, 100))).isEqualTo("FORMAT_NOT_ALLOWED");
      assertThat(accepted(pngOnly.validate(TestImages.png(100, 100), ALICE)).format()).isEqualTo("PNG");
    }

    @Test
    void defaultsAreJpegAndPngBecauseTheJdkHasNoWebpDecoder() {
      assertThat(ImageFormat.WEBP.isDecodable()).isFalse();
      assertThat(ImageFormat.defaults()).containsExactlyInAnyOrder(ImageFormat.JPEG, ImageFormat.PNG);
      assertThatThrownBy(() -> StandardImageValidator.builder().formats(Set.of(ImageFormat.WEBP)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEBP");
    }

    @Test
    void webpIsRefusedWhenNotAllowed() {
      byte[] webp = concat(ascii("RIFF"), new byte[] {30, 0, 0, 0}, ascii("WEBPVP8 "), new byte[22]);
      assertThat(detail(NO_FACES, webp)).isEqualTo("FORMAT_NOT_ALLOWED");
    }
  }

  @Nested
  class Limits {
    @Test
    void decompressionBombIsRefusedFromItsHeaderWithoutAllocatingTheRaster() {
      byte[] bomb = CraftedImages.bombPng(100_000, 100_000);
      assertThat(bomb.length).isLessThan(1000);
      ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      NO_FACES.validate(bomb, ALICE); // warm the classes up
      long before = mx.getCurrentThreadAllocatedBytes();
      Rejection r = rejection(NO_FACES.validate(bomb, ALICE));
      long allocated = mx.getCurrentThreadAllocatedBytes() - before;
      assertThat(r.detail()).isEqualTo("TOO_LARGE");
      assertThat(r.httpStatus()).isEqualTo(413);
      assertThat(allocated).as("bytes allocated").isLessThan(1_000_000);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @org.junit.jupiter.params.provider.CsvSource({"4097,64", "64,4097", "100000,100000", "2147483647,1"})
    void headersOverTheSizeLimitsAreTooLarge(int w, int h) {
      assertThat(detail(NO_FACES, CraftedImages.bombPng(w, h))).isEqualTo("TOO_LARGE");
    }

    @Test
    void pixelCountIsLimitedApartFromTheSides() {
      ImageValidator v = StandardImageValidator.builder().maxPixels(100 * 100).withoutFaceCheck().build();
      assertThat(detail(v, TestImages.png(101, 100))).isEqualTo("TOO_LARGE");
      accepted(v.validate(TestImages.png(100, 100), ALICE));
    }

    @Test
    void byteSizeIsLimitedBeforeAnythingIsParsed() {
      ImageValidator v = StandardImageValidator.builder().maxBytes(1000).withoutFaceCheck().build();
      Rejection r = rejection(v.validate(TestImages.jpeg(300, 300), ALICE));
      assertThat(r.detail()).isEqualTo("TOO_LARGE");
      assertThat(r.httpStatus()).isEqualTo(413);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg"})
    void imagesUnderTheMinimumSideAreTooSmall(String format) {
      Rejection r = rejection(NO_FACES.validate(TestImages.encode(TestImages.picture(63, 200), format), ALICE));
      assertThat(r.detail()).isEqualTo("TOO_SMALL");
      assertThat(r.httpStatus()).isEqualTo(422);
    }

    @Test
    void builderRefusesBadValuesNamingThem() {
      assertThatThrownBy(() -> StandardImageValidator.builder().maxSide(0)).hasMessageContaining("maxSide").hasMessageContaining("0");
      assertThatThrownBy(() -> StandardImageValidator.builder().minFaceShare(1.5)).hasMessageContaining("1.5");
      assertThatThrownBy(() -> StandardImageValidator.builder().minSide(500).maxSide(100).build())
          .hasMessageContaining("minSide (500)");
      assertThatThrownBy(() -> StandardImageValidator.builder().maxBytes(10).maxBytes(20))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    }
  }

  @Nested
  class Polyglots {
    static final byte[] PNG = TestImages.png(100, 100);
    static final byte[] JPEG = TestImages.jpeg(100, 100);
    static final byte[] ZIP = concat(new byte[] {'P', 'K', 3, 4}, new byte[26], new byte[] {'P', 'K', 5, 6}, new byte[18]);

    static Stream<Arguments> hidden() {
      return Stream.of(
          Arguments.of("zip after IEND", concat(PNG, ZIP)),
          Arguments.of("script after IEND", concat(PNG, ascii("<script>alert(1)</script>"))),
          Arguments.of("one byte after IEND", concat(PNG, new byte[] {0})),
          Arguments.of("zip after EOI", concat(JPEG, ZIP)),
          Arguments.of("html after EOI", concat(JPEG, ascii("<html><body></body></html>"))),
          Arguments.of("html in a tEXt chunk", CraftedImages.withChunkBeforeEnd(PNG,
              CraftedImages.chunk("tEXt", ascii("Comment\0<html><script>x()</script></html>")))),
          Arguments.of("zip in a private chunk", CraftedImages.withChunkBeforeEnd(PNG, CraftedImages.chunk("zzZp", ZIP))),
          Arguments.of("php in a JPEG comment", CraftedImages.withSegmentAfterSoi(JPEG, 0xFE, ascii("<?php system($_GET['c']); ?>"))),
          Arguments.of("zip in an APP segment", CraftedImages.withSegmentAfterSoi(JPEG, 0xE5, ZIP)),
          Arguments.of("svg in a PNG text chunk", CraftedImages.withChunkBeforeEnd(PNG,
              CraftedImages.chunk("tEXt", ascii("Comment\0<svg onload=alert(1)>")))),
          Arguments.of("pdf in an APP segment", CraftedImages.withSegmentAfterSoi(JPEG, 0xEA, ascii("%PDF-1.4 trailer"))),
          Arguments.of("elf in a PNG chunk", CraftedImages.withChunkBeforeEnd(PNG,
              CraftedImages.chunk("prVt", concat(new byte[] {0x7F, 'E', 'L', 'F'}, new byte[40])))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hidden")
    void imagesCarryingAnotherFileAreRefused(String name, byte[] bytes) {
      assertThat(detail(NO_FACES, bytes)).isEqualTo("POLYGLOT");
    }

    @Test
    void harmlessTextChunksAreAcceptedAndDropped() {
      byte[] png = CraftedImages.withChunkBeforeEnd(PNG, CraftedImages.chunk("tEXt", ascii("Author\0Alice at 51.5N 0.1W")));
      ValidatedImage image = accepted(NO_FACES.validate(png, ALICE));
      assertThat(image.pixels().getPropertyNames()).isNull();
    }
  }

  @Nested
  class CorruptFiles {
    static Stream<Arguments> truncated() {
      byte[] png = TestImages.png(100, 100);
      byte[] jpeg = TestImages.jpeg(100, 100);
      return Stream.of(0.1, 0.5, 0.9, 0.99).flatMap(f -> Stream.of(
          Arguments.of("png cut at " + f, Arrays.copyOf(png, (int) (png.length * f))),
          Arguments.of("jpeg cut at " + f, Arrays.copyOf(jpeg, (int) (jpeg.length * f)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncated")
    void truncatedFilesAreCorrupt(String name, byte[] bytes) {
      assertThat(detail(NO_FACES, bytes)).isEqualTo("CORRUPT");
    }

    @Test
    void aFlippedBitInPixelDataFailsTheChunkCrc() {
      byte[] png = TestImages.png(100, 100);
      png[png.length - 20] ^= 0x01;
      assertThat(detail(NO_FACES, png)).isEqualTo("CORRUPT");
    }

    @Test
    void aDamagedPngSignatureIsCorrupt() {
      byte[] png = TestImages.png(100, 100);
      png[4] = '\n';
      assertThat(detail(NO_FACES, png)).isEqualTo("CORRUPT");
    }

    @Test
    void anUnknownCriticalChunkIsCorrupt() {
      byte[] png = CraftedImages.withChunkBeforeEnd(TestImages.png(100, 100), CraftedImages.chunk("ABCD", new byte[4]));
      assertThat(detail(NO_FACES, png)).isEqualTo("CORRUPT");
    }
  }

  @Nested
  class Normalisation {
    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsAppliedThenDropped(int orientation) {
      // 120 wide, 80 high: red block top-left, blue block bottom-right as stored.
      byte[] jpeg = CraftedImages.withSegmentAfterSoi(TestImages.jpeg(120, 80), 0xE1, CraftedImages.exifOrientation(orientation));
      BufferedImage px = accepted(NO_FACES.validate(jpeg, ALICE)).pixels();
      boolean swapped = orientation >= 5;
      assertThat(px.getWidth()).isEqualTo(swapped ? 80 : 120);
      assertThat(px.getHeight()).isEqualTo(swapped ? 120 : 80);
      // Where the stored top-left red corner lands, per the EXIF definition of each orientation.
      int w = px.getWidth() - 1;
      int h = px.getHeight() - 1;
      int[] red = switch (orientation) {
        case 1, 5 -> new int[] {0, 0};
        case 2, 6 -> new int[] {w, 0};
        case 3, 7 -> new int[] {w, h};
        default -> new int[] {0, h};
      };
      assertThat(isRed(px.getRGB(Math.abs(red[0] - 3), Math.abs(red[1] - 3)))).as("red corner").isTrue();
    }

    private static boolean isRed(int rgb) {
      Color c = new Color(rgb);
      return c.getRed() > 200 && c.getGreen() < 60 && c.getBlue() < 60;
    }

    @Test
    void transparencyIsCompositedOnWhite() {
      BufferedImage argb = new BufferedImage(80, 80, BufferedImage.TYPE_INT_ARGB);
      BufferedImage px = accepted(NO_FACES.validate(TestImages.encode(argb, "png"), ALICE)).pixels();
      assertThat(px.getRGB(40, 40) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void anEmbeddedIccProfileIsAppliedThenDropped() {
      // Grey 50 in a JPEG tagged with a linear-RGB ICC profile is about 124 in sRGB.
      BufferedImage grey = new BufferedImage(80, 80, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 80; y++) {
        for (int x = 0; x < 80; x++) {
          grey.setRGB(x, y, 0x323232);
        }
      }
      byte[] profile = java.awt.color.ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
      byte[] app2 = concat(ascii("ICC_PROFILE\0"), new byte[] {1, 1}, profile);
      byte[] jpeg = CraftedImages.withSegmentAfterSoi(TestImages.encode(grey, "jpeg"), 0xE2, app2);
      BufferedImage px = accepted(NO_FACES.validate(jpeg, ALICE)).pixels();
      assertThat(px.getColorModel().getColorSpace().isCS_sRGB()).isTrue();
      assertThat(new Color(px.getRGB(40, 40)).getGreen()).isBetween(110, 140);
    }

    @Test
    void anIccProfileInAPngIsAppliedThenDropped() throws IOException {
      BufferedImage grey = new BufferedImage(80, 80, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 80; y++) {
        for (int x = 0; x < 80; x++) {
          grey.setRGB(x, y, 0x323232);
        }
      }
      byte[] profile = java.awt.color.ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
      java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
      try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
        d.write(profile);
      }
      byte[] iccp = CraftedImages.chunk("iCCP", concat(ascii("linear\0\0"), z.toByteArray()));
      byte[] png = TestImages.encode(grey, "png");
      byte[] tagged = concat(Arrays.copyOf(png, 33), iccp, Arrays.copyOfRange(png, 33, png.length)); // after IHDR
      BufferedImage px = accepted(NO_FACES.validate(tagged, ALICE)).pixels();
      assertThat(new Color(px.getRGB(40, 40)).getGreen()).isBetween(110, 140);
    }

    @Test
    void anIccpChunkInflatingPastTheLimitIsCorrupt() throws IOException {
      java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
      try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
        d.write(new byte[PngStructure.MAX_ICC_BYTES + 10]);
      }
      byte[] png = TestImages.png(80, 80);
      byte[] iccp = CraftedImages.chunk("iCCP", concat(ascii("bomb\0\0"), z.toByteArray()));
      assertThat(detail(NO_FACES, concat(Arrays.copyOf(png, 33), iccp, Arrays.copyOfRange(png, 33, png.length))))
          .isEqualTo("CORRUPT");
    }

    @Test
    void colourInAnotherColourSpaceIsConvertedToSrgb() {
      ColorSpace linear = ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB);
      ColorModel cm = new ComponentColorModel(linear, false, false, ColorModel.OPAQUE, DataBuffer.TYPE_BYTE);
      WritableRaster raster = cm.createCompatibleWritableRaster(4, 4);
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          raster.setPixel(x, y, new int[] {50, 50, 50}); // linear 0.2 is about 124 in sRGB
        }
      }
      BufferedImage out = Pixels.toSrgbRgb(new BufferedImage(cm, raster, false, null));
      assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      assertThat(new Color(out.getRGB(1, 1)).getRed()).isBetween(115, 135);
    }
  }

  @Nested
  class FaceCheck {
    static final byte[] IMAGE = TestImages.png(200, 200);

    static ImageValidator with(FaceDetector detector) {
      return StandardImageValidator.builder().faceDetector(detector).build();
    }

    @Test
    void exactlyOneLargeFaceIsAccepted() {
      accepted(with(img -> List.of(new Face(20, 20, 100, 100))).validate(IMAGE, ALICE));
    }

    @Test
    void noFaceIsRefused() {
      assertThat(detail(with(img -> List.of()), IMAGE)).isEqualTo("NO_FACE");
    }

    @Test
    void twoFacesAreRefused() {
      assertThat(detail(with(img -> List.of(new Face(0, 0, 90, 90), new Face(100, 100, 90, 90))), IMAGE))
          .isEqualTo("MULTIPLE_FACES");
    }

    @Test
    void aFaceUnderTheMinimumShareIsTooSmall() {
      assertThat(detail(with(img -> List.of(new Face(0, 0, 60, 60))), IMAGE)).isEqualTo("FACE_TOO_SMALL");
    }

    @Test
    void aFailingDetectorRefusesTheImage() {
      Rejection r = rejection(with(img -> {
        throw new IllegalStateException("native crash");
      }).validate(IMAGE, ALICE));
      assertThat(r.detail()).isEqualTo("FACE_CHECK_UNAVAILABLE");
      assertThat(r.httpStatus()).isEqualTo(503);
      assertThat(r.message()).doesNotContain("native");
    }

    @Test
    void withoutADetectorOnTheClassPathTheValidatorRunsWithoutTheCheck() {
      assertThat(StandardImageValidator.create().checksFaces()).isFalse();
    }
  }

  @Nested
  class Provider {
    @Test
    void isFoundByNameAndReadsItsSettings() {
      ImageValidator v = PolicyProviders.create(ImageValidatorProvider.class, "standard", PolicySettings.of(Map.of(
          "formats", "png", "max-side", "500", "min-side", "10", "face-detector.type", "none")));
      assertThat(detail(v, TestImages.jpeg(100, 100))).isEqualTo("FORMAT_NOT_ALLOWED");
      assertThat(detail(v, TestImages.png(501, 20))).isEqualTo("TOO_LARGE");
      accepted(v.validate(TestImages.png(20, 20), ALICE));
    }

    @Test
    void aBadSettingFailsNamingIt() {
      PolicySettings settings = PolicySettings.of(Map.of("f2p.image-validator.formats", "png,gif"))
          .scope("f2p.image-validator");
      assertThatThrownBy(() -> PolicyProviders.create(ImageValidatorProvider.class, "standard", settings))
          .hasMessageContaining("f2p.image-validator.formats").hasMessageContaining("gif");
    }

    @Test
    void anUnknownFaceDetectorFailsTheBuild() {
      assertThatThrownBy(() -> PolicyProviders.create(ImageValidatorProvider.class, "standard",
          PolicySettings.of(Map.of("face-detector.type", "dlib")))).hasMessageContaining("dlib");
    }

    @Test
    void theFaceDetectorsOldSelectorFailsNamingItsTypeKey() {
      Map<String, String> old = Map.of("f2p.image-validator.type", "standard", "f2p.image-validator.face-detector", "none");
      assertThatThrownBy(() -> ImageEditClient.checkSettings(old))
          .isInstanceOf(F2pConfigurationException.class)
          .hasMessageContaining("f2p.image-validator.face-detector is now f2p.image-validator.face-detector.type");
      assertThatThrownBy(() -> PolicyProviders.create(ImageValidatorProvider.class, "standard",
          PolicySettings.of(old).scope("f2p.image-validator")))
          .isInstanceOf(F2pConfigurationException.class)
          .hasMessageContaining("f2p.image-validator.face-detector is now f2p.image-validator.face-detector.type");
    }
  }
}
