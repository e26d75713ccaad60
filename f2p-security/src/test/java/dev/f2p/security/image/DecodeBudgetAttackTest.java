package dev.f2p.security.image;

import static dev.f2p.security.image.StandardImageValidatorTest.ALICE;
import static dev.f2p.security.testing.CraftedImages.ascii;
import static dev.f2p.security.testing.CraftedImages.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.Face;
import dev.f2p.core.spi.FaceDetector;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.security.testing.CraftedImages;
import dev.f2p.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Finding 2 of issue 18: decodes admitted against a budget from the header, never an OutOfMemoryError nor
 * a wrong reason code, and files whose structure is mostly metadata refused before anything parses them.
 */
class DecodeBudgetAttackTest {
  private static final long MIB = 1L << 20;
  private static final List<Face> ONE_FACE = List.of(new Face(0, 0, 200, 200));

  private static Rejection rejected(Decision<ValidatedImage> d) {
    assertThat(d).as("%s", d).isInstanceOf(Decision.Rejected.class);
    return ((Decision.Rejected<ValidatedImage>) d).rejection();
  }

  private static void assertDecodeBusy(Rejection r) {
    assertThat(r.reason()).isEqualTo(ReasonCode.OVERLOADED);
    assertThat(r.detail()).isEqualTo("DECODE_BUSY");
    assertThat(r.httpStatus()).isEqualTo(503);
    assertThat(r.retryAfter()).contains(Duration.ofSeconds(1));
  }

  /** The file of issue 18: 4096 x 4096 at 16-bit RGBA (128 MiB of samples) in about 130 KB. */
  private static final byte[] BOMB = CraftedImages.zeroPng16(4096, 4096);

  @Test
  void theSixteenBitBombOfIssue18IsRefusedFromItsHeaderByTheDefaults() {
    byte[] bomb = BOMB;
    assertThat(bomb.length).isBetween(100_000, 200_000);
    Rejection r = rejected(StandardImageValidator.builder().withoutFaceCheck().build().validate(bomb, ALICE));
    assertThat(r.detail()).isEqualTo("TOO_LARGE");
    assertThat(r.httpStatus()).isEqualTo(413);
  }

  @Test
  void aHostThatAllowsTheBombGetsOverloadedNotAnOutOfMemoryErrorWhenTheBudgetIsTaken() {
    DecodeBudget budget = new DecodeBudget(300 * MIB, 4);
    StandardImageValidator v = StandardImageValidator.builder().maxSide(4096).maxPixels(4096L * 4096)
        .decodeBudget(budget).decodeWait(Duration.ZERO).withoutFaceCheck().build();
    long cost = v.decodeCost(4096, 4096, 64);
    assertThat(cost).as("raster 128 MiB + normalising 128 MiB + decoder").isEqualTo(257 * MIB);
    assertThat(budget.tryReserve(50 * MIB, Duration.ZERO)).isTrue(); // another upload decoding
    try {
      assertDecodeBusy(rejected(v.validate(BOMB, ALICE)));
      assertThat(budget.reservedBytes()).isEqualTo(50 * MIB);
    } finally {
      budget.release(50 * MIB);
    }
  }

  @Test
  void aDecodeWaitsForRoomThenRunsAndOnlyTheBudgetsWaitLimitRefuses() throws Exception {
    CountDownLatch inDetector = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    FaceDetector holding = image -> {
      inDetector.countDown();
      try {
        letGo.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ONE_FACE;
    };
    DecodeBudget budget = new DecodeBudget(128 * MIB, 1);
    StandardImageValidator first = StandardImageValidator.builder().faceDetector(holding).decodeBudget(budget).build();
    StandardImageValidator impatient = StandardImageValidator.builder().faceDetector(image -> ONE_FACE)
        .decodeBudget(budget).decodeWait(Duration.ZERO).build();
    StandardImageValidator patient = StandardImageValidator.builder().faceDetector(image -> ONE_FACE)
        .decodeBudget(budget).decodeWait(Duration.ofSeconds(30)).build();
    byte[] png = TestImages.png(200, 200);

    CompletableFuture<Decision<ValidatedImage>> holder = CompletableFuture.supplyAsync(() -> first.validate(png, ALICE));
    assertThat(inDetector.await(30, TimeUnit.SECONDS)).isTrue();
    assertDecodeBusy(rejected(impatient.validate(png, ALICE)));
    CompletableFuture<Decision<ValidatedImage>> waiter = CompletableFuture.supplyAsync(() -> patient.validate(png, ALICE));
    letGo.countDown();
    assertThat(holder.get(30, TimeUnit.SECONDS).isAllowed()).isTrue();
    assertThat(waiter.get(30, TimeUnit.SECONDS).isAllowed()).isTrue();
    assertThat(budget.running()).isZero();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void theReservationIsReleasedOnEveryPath() {
    DecodeBudget budget = new DecodeBudget(128 * MIB, 2);
    FaceDetector failing = image -> {
      throw new IllegalStateException("detector down");
    };
    FaceDetector exhausted = image -> {
      throw new OutOfMemoryError("Java heap space");
    };
    byte[] png = TestImages.png(200, 200);
    assertThat(rejected(StandardImageValidator.builder().faceDetector(failing).decodeBudget(budget).build()
        .validate(png, ALICE)).detail()).isEqualTo("FACE_CHECK_UNAVAILABLE");
    assertDecodeBusy(rejected(StandardImageValidator.builder().faceDetector(exhausted).decodeBudget(budget).build()
        .validate(png, ALICE)));
    StandardImageValidator plain = StandardImageValidator.builder().decodeBudget(budget).withoutFaceCheck().build();
    assertThat(rejected(plain.validate(truncatedPixelData(), ALICE)).detail()).isEqualTo("CORRUPT");
    assertThat(plain.validate(png, ALICE).isAllowed()).isTrue();
    assertThat(budget.running()).isZero();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void aHeapThatRunsOutDuringADecodeIsOverloadedNeverCorrupt() {
    // Under memory pressure other uploads were misreported as CORRUPT: the decoder's OutOfMemoryError was
    // taken for the input's fault.
    assertThat(StandardImageValidator.refusedForDecoderFault(new OutOfMemoryError("Java heap space")).problem)
        .isEqualTo(Problem.DECODE_BUSY);
    assertThat(StandardImageValidator.refusedForDecoderFault(new StackOverflowError()).problem)
        .isEqualTo(Problem.CORRUPT);
  }

  @Test
  void theCostComesFromTheHeaderAndCountsTheFaceCheck() {
    StandardImageValidator v = StandardImageValidator.builder().withoutFaceCheck().build();
    assertThat(v.decodeCost(2048, 2048, 64)).isEqualTo(4 * MIB * 16 + MIB);
    assertThat(v.decodeCost(1024, 1024, 24)).isEqualTo(MIB * 11 + MIB);
    assertThat(v.decodeCost(1024, 1024, 1)).as("at least a byte per pixel").isEqualTo(MIB * 9 + MIB);
    StandardImageValidator withFaces = StandardImageValidator.builder().faceDetector(image -> ONE_FACE).build();
    assertThat(withFaces.decodeCost(1024, 1024, 24)).as("the SPI's default: one copy at 4 bytes").isEqualTo(MIB * 16);
  }

  @Test
  void aBudgetThatCannotHoldTheLargestImageAllowedFailsTheBuild() {
    assertThatThrownBy(() -> StandardImageValidator.builder().decodeMemory(32 * MIB).withoutFaceCheck().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decodeMemory (33554432 bytes) cannot hold one decode of the largest image allowed")
        .hasMessageContaining("2048x2048");
    assertThatThrownBy(() -> StandardImageValidator.builder().decodeBudget(new DecodeBudget(MIB * 100, 1))
        .decodeConcurrency(2).withoutFaceCheck().build()).hasMessageContaining("decodeBudget is shared");
    assertThatThrownBy(() -> StandardImageValidator.builder().decodeWait(Duration.ofMinutes(2)))
        .hasMessageContaining("PT2M");
  }

  @Test
  void theDecodeSettingsAreRead() {
    StandardImageValidator v = (StandardImageValidator) PolicyProviders.create(ImageValidatorProvider.class, "standard",
        PolicySettings.of(Map.of("decode-memory", "96m", "decode-concurrency", "3", "decode-wait", "250ms",
            "face-detector.type", "none")));
    assertThat(v.decodeBudget().memoryBytes()).isEqualTo(96 * MIB);
    assertThat(v.decodeBudget().concurrency()).isEqualTo(3);
    assertThat(v.toString()).contains("decodeWait=PT0.25S");
    assertThatThrownBy(() -> PolicyProviders.create(ImageValidatorProvider.class, "standard",
        PolicySettings.of(Map.of("decode-memory", "lots", "face-detector.type", "none"))))
        .hasStackTraceContaining("decode-memory must be bytes such as 512m or 2g: lots");
  }

  // Structure: files made mostly of metadata are refused before any parser reads them at length.

  @Test
  void aPngMadeOfThousandsOfTextChunksIsRefusedBeforeItsHeaderIsParsed() {
    byte[] text = CraftedImages.chunk("tEXt", ascii("Comment\0" + "x".repeat(80)));
    ByteArrayOutputStream many = new ByteArrayOutputStream();
    for (int i = 0; i < 5000; i++) {
      many.writeBytes(text);
    }
    // The header claims 100000 x 100000: were it parsed first, this would be TOO_LARGE.
    byte[] png = CraftedImages.withChunkBeforeEnd(CraftedImages.bombPng(100_000, 100_000), many.toByteArray());
    assertThat(StandardImageValidatorTest.detail(StandardImageValidatorTest.NO_FACES, png)).isEqualTo("TOO_COMPLEX");
    byte[] ordinary = CraftedImages.withChunkBeforeEnd(TestImages.png(100, 100), many.toByteArray());
    Rejection r = StandardImageValidatorTest.rejection(StandardImageValidatorTest.NO_FACES.validate(ordinary, ALICE));
    assertThat(r.detail()).isEqualTo("TOO_COMPLEX");
    assertThat(r.httpStatus()).isEqualTo(422);
    assertThat(r.message()).isEqualTo("The image has too many parts or too much metadata.");
  }

  @Test
  void pngMetadataIsBoundedInChunksAndBytes() {
    byte[] small = CraftedImages.chunk("tEXt", ascii("Comment\0ok"));
    byte[] sixtyFour = TestImages.png(100, 100);
    for (int i = 0; i < PngStructure.MAX_ANCILLARY_CHUNKS; i++) {
      sixtyFour = CraftedImages.withChunkBeforeEnd(sixtyFour, small);
    }
    assertThat(StandardImageValidatorTest.NO_FACES.validate(sixtyFour, ALICE).isAllowed()).isTrue();
    assertThat(StandardImageValidatorTest.detail(StandardImageValidatorTest.NO_FACES,
        CraftedImages.withChunkBeforeEnd(sixtyFour, small))).isEqualTo("TOO_COMPLEX");
    byte[] big = CraftedImages.chunk("zTXt", concat(ascii("Comment\0\0"), new byte[PngStructure.MAX_ANCILLARY_BYTES]));
    assertThat(StandardImageValidatorTest.detail(StandardImageValidatorTest.NO_FACES,
        CraftedImages.withChunkBeforeEnd(TestImages.png(100, 100), big))).isEqualTo("TOO_COMPLEX");
  }

  @Test
  void aJpegWithThousandsOfAppAndCommentSegmentsIsRefused() {
    byte[] plain = TestImages.jpeg(100, 100);
    ByteArrayOutputStream jpegOut = new ByteArrayOutputStream();
    jpegOut.write(plain, 0, 2);
    for (int i = 0; i < 3000; i++) {
      byte[] segment = CraftedImages.withSegmentAfterSoi(new byte[] {(byte) 0xFF, (byte) 0xD8},
          i % 2 == 0 ? 0xFE : 0xE0 + (i % 16), ascii("comment " + i));
      jpegOut.write(segment, 2, segment.length - 2);
    }
    jpegOut.write(plain, 2, plain.length - 2);
    byte[] jpeg = jpegOut.toByteArray();
    assertThat(StandardImageValidatorTest.detail(StandardImageValidatorTest.NO_FACES, jpeg)).isEqualTo("TOO_COMPLEX");
  }

  @Test
  void jpegMetadataIsBoundedInSegmentsAndBytes() {
    byte[] jpeg = TestImages.jpeg(100, 100); // carries one APP0 (JFIF) already
    for (int i = 1; i < JpegStructure.MAX_METADATA_SEGMENTS; i++) {
      jpeg = CraftedImages.withSegmentAfterSoi(jpeg, 0xFE, ascii("c"));
    }
    assertThat(StandardImageValidatorTest.NO_FACES.validate(jpeg, ALICE).isAllowed()).isTrue();
    assertThat(StandardImageValidatorTest.detail(StandardImageValidatorTest.NO_FACES,
        CraftedImages.withSegmentAfterSoi(jpeg, 0xFE, ascii("c")))).isEqualTo("TOO_COMPLEX");
    byte[] heavy = TestImages.jpeg(100, 100);
    for (int i = 0; i < 17; i++) {
      heavy = CraftedImages.withSegmentAfterSoi(heavy, 0xE2, new byte[65_000]);
    }
    assertThat(StandardImageValidatorTest.detail(StandardImageValidatorTest.NO_FACES, heavy)).isEqualTo("TOO_COMPLEX");
  }

  /** A 256 x 256 16-bit PNG whose pixel data stops halfway, with valid CRCs: only the decoder notices. */
  private static byte[] truncatedPixelData() {
    byte[] whole = CraftedImages.zeroPng16(256, 256);
    byte[] ihdr = Arrays.copyOfRange(whole, 16, 29);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[128 * (1 + 256 * 8)]);
    byte[] buf = new byte[64 * 1024];
    int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
    deflater.end();
    byte[] sig = Arrays.copyOfRange(whole, 0, 8);
    return concat(sig, CraftedImages.chunk("IHDR", ihdr), CraftedImages.chunk("IDAT", Arrays.copyOf(buf, n)),
        CraftedImages.chunk("IEND", new byte[0]));
  }

}
