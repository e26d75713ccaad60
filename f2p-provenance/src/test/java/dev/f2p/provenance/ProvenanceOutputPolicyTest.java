package dev.f2p.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.testing.ImageIoDiskCache;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProvenanceOutputPolicyTest {
  private static final String PRODUCER = "F2P Guard test service";
  private static final BufferedImage astronaut = TestImages.shared("faces/astronaut.png");

  private static ProvenanceOutputPolicy.Builder policy() {
    return ProvenanceOutputPolicy.builder().producer(PRODUCER).propagator("example.net").watermarkKey(TestImages.KEY);
  }

  private static Decision.Allowed<OutputImage> allowed(Decision<OutputImage> d) {
    assertThat(d).isInstanceOf(Decision.Allowed.class);
    return (Decision.Allowed<OutputImage>) d;
  }

  @ParameterizedTest
  @EnumSource(ProvenanceOutputPolicy.Format.class)
  void labelsWatermarksAndReadsBackEveryField(ProvenanceOutputPolicy.Format format) {
    Decision.Allowed<OutputImage> out = allowed(policy().format(format).build()
        .apply(TestImages.generated(astronaut), TestImages.context("req-1")));
    String produceId = out.attributes().get("produceId");
    assertThat(out.value().mediaType()).isEqualTo(format.mediaType());
    assertThat(out.attributes()).containsEntry("watermark", "embedded").containsKey("watermark.payload");

    ProvenanceReport report = ProvenanceReader.withWatermarkKey(TestImages.KEY).read(out.value().bytes());
    assertThat(report.status()).isEqualTo(ProvenanceReport.Status.READ);
    AigcLabel label = report.label().orElseThrow();
    assertThat(label).isEqualTo(new AigcLabel("1", PRODUCER, produceId, out.attributes().get("watermark.payload"),
        "example.net", "", ""));
    WatermarkPayload payload = report.watermark().orElseThrow();
    assertThat(payload.hex()).isEqualTo(out.attributes().get("watermark.payload"));
    assertThat(payload.matches(PRODUCER, produceId)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(ProvenanceOutputPolicy.Format.class)
  void labelsAndReadsBackWithoutWritingTheImageToDisk(ProvenanceOutputPolicy.Format format) throws Exception {
    ProvenanceReport report = ImageIoDiskCache.unusableDuring(() -> {
      Decision.Allowed<OutputImage> out = allowed(policy().format(format).build()
          .apply(TestImages.generated(astronaut), TestImages.context("req-1")));
      return ProvenanceReader.withWatermarkKey(TestImages.KEY).read(out.value().bytes());
    });
    assertThat(report.status()).isEqualTo(ProvenanceReport.Status.READ);
    assertThat(report.label()).isPresent();
    assertThat(report.watermark()).isPresent();
  }

  @Test
  void everyOutputGetsItsOwnProduceId() {
    ProvenanceOutputPolicy p = ProvenanceOutputPolicy.builder().producer(PRODUCER).disableWatermark().build();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ids.add(allowed(p.apply(TestImages.generated(TestImages.flat(64, 64, 0x336699)), TestImages.context("same")))
          .attributes().get("produceId"));
    }
    assertThat(ids).hasSize(50).allMatch(id -> id.matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  }

  @Test
  void watermarkIsInvisibleByPsnrAgainstTheLabelledOutput() throws IOException {
    Decision.Allowed<OutputImage> out = allowed(policy().build().apply(TestImages.generated(astronaut), TestImages.context("r")));
    BufferedImage labelledOnly = Attacks.decode(allowed(ProvenanceOutputPolicy.builder().producer(PRODUCER).disableWatermark()
        .build().apply(TestImages.generated(astronaut), TestImages.context("r"))).value().bytes());
    assertThat(TestImages.psnr(labelledOnly, Attacks.decode(out.value().bytes()))).isGreaterThanOrEqualTo(38.0);
  }

  /**
   * Issue 18, finding 7: a request for 1024x255 got no invisible mark (it was skipped when either side was
   * under 256), leaving a corner label that crops off and XMP that strips. Every released output is marked,
   * and its mark reads back from the file; the astronaut's detail can exhaust a small image's invisibility
   * budget, and then the output is refused, never released unmarked.
   */
  @ParameterizedTest(name = "{0}x{1}")
  @org.junit.jupiter.params.provider.CsvSource({"1024,255", "255,1024", "200,200", "1024,100", "100,1024", "1024,16"})
  void narrowAndSmallOutputsAreMarkedAndTheMarkReadsBack(int w, int h) {
    ProvenanceOutputPolicy p = policy().build();
    Decision.Allowed<OutputImage> smooth = allowed(p.apply(TestImages.generated(gradient(w, h)), TestImages.context("n")));
    assertMarkReadsBack(smooth);
    BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = photo.createGraphics();
    g.drawImage(astronaut, 0, 0, w, h, null);
    g.dispose();
    Decision<OutputImage> detailed = p.apply(TestImages.generated(photo), TestImages.context("n"));
    if (detailed instanceof Decision.Rejected<OutputImage> r) {
      assertThat(r.rejection().reason()).isEqualTo(ReasonCode.OUTPUT_REJECTED);
      assertThat(r.rejection().detail()).isEqualTo("WATERMARK_UNVERIFIED");
    } else {
      assertMarkReadsBack(allowed(detailed));
    }
  }

  private static void assertMarkReadsBack(Decision.Allowed<OutputImage> out) {
    assertThat(out.attributes()).containsEntry("watermark", "embedded").containsKey("watermark.payload");
    ProvenanceReport report = ProvenanceReader.withWatermarkKey(TestImages.KEY).read(out.value().bytes());
    assertThat(report.watermark().map(WatermarkPayload::hex)).contains(out.attributes().get("watermark.payload"));
  }

  private static BufferedImage gradient(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = 40 + 160 * (x + y) / (w + h);
        img.setRGB(x, y, v << 16 | (255 - v) << 8 | (v / 2 + 60));
      }
    }
    return img;
  }

  @ParameterizedTest(name = "{0}x{1}")
  @org.junit.jupiter.params.provider.CsvSource({"64,64", "127,127", "1000,15", "256,32"})
  void anOutputThatCannotCarryTheWholeMarkIsRefused(int w, int h) {
    Decision<OutputImage> d = policy().build().apply(TestImages.generated(TestImages.flat(w, h, 0x808080)),
        TestImages.context("r"));
    assertThat(d).isInstanceOfSatisfying(Decision.Rejected.class, rej -> {
      assertThat(rej.rejection().reason()).isEqualTo(ReasonCode.OUTPUT_REJECTED);
      assertThat(rej.rejection().detail()).isEqualTo("WATERMARK_DOES_NOT_FIT");
    });
  }

  @Test
  void refusesAnOutputWhoseWatermarkDoesNotReadBackAndCanBeToldNotTo() {
    // A finely textured 256x256 photo: the PSNR budget leaves too little signal for the mark to read back.
    BufferedImage noise = TestImages.shared("pdq/reg-test-input/labelme-subset/q2821.jpg");
    Decision<OutputImage> closed = policy().build().apply(TestImages.generated(noise), TestImages.context("r"));
    assertThat(closed).isInstanceOfSatisfying(Decision.Rejected.class, rej -> {
      assertThat(rej.rejection().reason()).isEqualTo(ReasonCode.OUTPUT_REJECTED);
      assertThat(rej.rejection().detail()).isEqualTo("WATERMARK_UNVERIFIED");
    });
    Decision<OutputImage> open = policy().watermarkFailClosed(false).build().apply(TestImages.generated(noise), TestImages.context("r"));
    assertThat(allowed(open).attributes()).containsEntry("watermark", "unverified");
  }

  @Test
  void builderRefusesBadAndRepeatedOptions() {
    assertThatThrownBy(() -> ProvenanceOutputPolicy.builder().watermarkKey(TestImages.KEY).build())
        .hasMessageContaining("producer is required");
    assertThatThrownBy(() -> ProvenanceOutputPolicy.builder().producer("p").build())
        .hasMessageContaining("watermark key is required");
    assertThatThrownBy(() -> ProvenanceOutputPolicy.builder().watermarkKey("short".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("at least 16 bytes, was 5");
    assertThatThrownBy(() -> ProvenanceOutputPolicy.builder().jpegQuality(20)).hasMessageContaining("20");
    assertThatThrownBy(() -> ProvenanceOutputPolicy.builder().producer("a").producer("b")).hasMessageContaining("already set");
    assertThatThrownBy(() -> ProvenanceOutputPolicy.builder().label(List.of("ok", " "))).hasMessageContaining("label");
    assertThat(policy().build().toString()).doesNotContain(new String(TestImages.KEY, StandardCharsets.UTF_8));
  }

  /** A real third-party reader agrees: exiftool reads every field of our XMP from PNG and JPEG. */
  @ParameterizedTest
  @EnumSource(ProvenanceOutputPolicy.Format.class)
  void exiftoolReadsEveryField(ProvenanceOutputPolicy.Format format, @TempDir Path dir) throws Exception {
    assumeTrue(exiftoolInstalled(), "exiftool is not installed (Debian: libimage-exiftool-perl)");
    Decision.Allowed<OutputImage> out = allowed(policy().format(format).build()
        .apply(TestImages.generated(astronaut), TestImages.context("req-x")));
    Path file = dir.resolve(format == ProvenanceOutputPolicy.Format.PNG ? "out.png" : "out.jpg");
    Files.write(file, out.value().bytes());
    Process p = new ProcessBuilder("exiftool", "-j", "-G1", "-XMP:all", file.toString()).redirectErrorStream(true).start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(json).contains("\"XMP-TC260:Aigc\"");
    String aigc = json.substring(json.indexOf("\"XMP-TC260:Aigc\""));
    aigc = aigc.substring(aigc.indexOf(':', aigc.indexOf("Aigc\"")) + 1).trim();
    // The value is a JSON string holding the JSON object; exiftool escapes its quotes.
    String value = aigc.substring(1, aigc.indexOf("}\"") + 1).replace("\\\"", "\"");
    var fields = Xmp.Json.parseFlatObject(value, 16, 1024).orElseThrow();
    assertThat(fields).containsExactly(
        java.util.Map.entry("Label", "1"),
        java.util.Map.entry("ContentProducer", PRODUCER),
        java.util.Map.entry("ProduceID", out.attributes().get("produceId")),
        java.util.Map.entry("ReservedCode1", out.attributes().get("watermark.payload")),
        java.util.Map.entry("ContentPropagator", "example.net"),
        java.util.Map.entry("PropagateID", ""),
        java.util.Map.entry("ReservedCode2", ""));
  }

  private static boolean exiftoolInstalled() {
    try {
      Process p = new ProcessBuilder("exiftool", "-ver").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
