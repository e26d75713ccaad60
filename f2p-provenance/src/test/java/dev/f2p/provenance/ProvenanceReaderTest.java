package dev.f2p.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProvenanceReaderTest {
  private static final ProvenanceReader READER = ProvenanceReader.withWatermarkKey(TestImages.KEY);

  private static byte[] ours(ProvenanceOutputPolicy.Format format) {
    var d = ProvenanceOutputPolicy.builder().producer("p").disableWatermark().format(format).build()
        .apply(TestImages.generated(TestImages.flat(64, 64, 0x223344)), TestImages.context("r"));
    return ((dev.f2p.core.spi.Decision.Allowed<dev.f2p.core.spi.OutputImage>) d).value().bytes();
  }

  private static byte[] png() {
    return ours(ProvenanceOutputPolicy.Format.PNG);
  }

  private static byte[] withXmp(String xml) {
    return Containers.insertPngXmp(Attacks.png(TestImages.flat(32, 32, 0)), xml.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hugeChunkLength() {
    byte[] b = png();
    b[8] = (byte) 0x7f; // IHDR length now claims 2 GB
    return b;
  }

  private static byte[] badCrc() {
    byte[] b = png();
    int at = indexOf(b, "iTXt".getBytes(StandardCharsets.ISO_8859_1));
    b[at + 10] ^= 1; // inside the keyword: CRC no longer matches
    return b;
  }

  private static byte[] jpegBadSegmentLength() {
    byte[] b = ours(ProvenanceOutputPolicy.Format.JPEG);
    b[4] = (byte) 0xff;
    b[5] = (byte) 0xff;
    return b;
  }

  private static byte[] jpegManyFillBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xff);
    out.write(0xd8);
    for (int i = 0; i < 1_000_000; i++) {
      out.write(0xff);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] b, byte[] what) {
    for (int i = 0; i + what.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  static Stream<Arguments> hostile() {
    byte[] random = new byte[4096];
    new Random(1).nextBytes(random);
    String json = "{\\\"Label\\\":\\\"1\\\"}";
    return Stream.of(
        Arguments.of("not an image: empty", new byte[0], ProvenanceReport.Status.UNSUPPORTED_FORMAT),
        Arguments.of("not an image: random bytes", random, ProvenanceReport.Status.UNSUPPORTED_FORMAT),
        Arguments.of("png: truncated after the signature", Arrays.copyOf(png(), 20), ProvenanceReport.Status.MALFORMED),
        Arguments.of("png: chunk length past the end", hugeChunkLength(), ProvenanceReport.Status.MALFORMED),
        Arguments.of("png: XMP chunk with a bad CRC", badCrc(), ProvenanceReport.Status.READ),
        Arguments.of("jpeg: segment length past the end", jpegBadSegmentLength(), ProvenanceReport.Status.MALFORMED),
        Arguments.of("jpeg: a megabyte of fill bytes", jpegManyFillBytes(), ProvenanceReport.Status.MALFORMED),
        Arguments.of("xmp: external entity", withXmp("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&e;</x:xmpmeta>"), ProvenanceReport.Status.READ),
        Arguments.of("xmp: not XML", withXmp("<<<>>>"), ProvenanceReport.Status.READ),
        Arguments.of("xmp: AIGC not JSON", withXmp(xmp("not json")), ProvenanceReport.Status.READ),
        Arguments.of("xmp: AIGC JSON without a Label", withXmp(xmp("{\"Other\":\"1\"}")), ProvenanceReport.Status.READ),
        Arguments.of("xmp: AIGC JSON truncated", withXmp(xmp("{\"Label\":\"1")), ProvenanceReport.Status.READ),
        Arguments.of("xmp: escaped quotes left raw", withXmp(xmp(json)), ProvenanceReport.Status.READ));
  }

  private static String xmp(String aigc) {
    return "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        + "<rdf:Description xmlns:TC260=\"" + Xmp.NAMESPACE + "\"><TC260:AIGC>" + aigc.replace("&", "&amp;").replace("<", "&lt;")
        + "</TC260:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileInputGivesATypedEmptyReport(String name, byte[] file, ProvenanceReport.Status status) {
    ProvenanceReport report = READER.read(file);
    assertThat(report.status()).isEqualTo(status);
    assertThat(report.label()).isEmpty();
    assertThat(report.watermark()).isEmpty();
  }

  @Test
  void readsAnotherProducersLabelWrittenAsAnElementWithAnotherPrefix() {
    String xml = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        + "<rdf:Description rdf:about=\"\" xmlns:aigc=\"" + Xmp.NAMESPACE + "\"><aigc:AIGC>"
        + "{\"Label\":\"2\",\"ContentProducer\":\"other\",\"ProduceID\":\"x-1\",\"ReservedCode1\":\"\",\"ContentPropagator\":\"\","
        + "\"PropagateID\":\"\",\"ReservedCode2\":\"\"}</aigc:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>";
    ProvenanceReport report = ProvenanceReader.labelsOnly().read(withXmp(xml));
    assertThat(report.label()).contains(new AigcLabel("2", "other", "x-1", "", "", "", ""));
  }

  @Test
  void anUnlabelledImageHasNoLabelAndNoWatermark() {
    ProvenanceReport report = READER.read(Attacks.png(TestImages.flat(300, 300, 0x445566)));
    assertThat(report).isEqualTo(ProvenanceReport.of(ProvenanceReport.Status.READ));
  }

  @Test
  void aTruncatedFileStillGivesTheLabelItCarriesButNoPixels() {
    ProvenanceReport report = READER.read(Arrays.copyOf(png(), png().length - 30));
    assertThat(report.status()).isEqualTo(ProvenanceReport.Status.MALFORMED);
    assertThat(report.label()).isPresent();
    assertThat(report.watermark()).isEmpty();
  }

  @Test
  void aLabelledJpegIsRead() {
    assertThat(READER.read(ours(ProvenanceOutputPolicy.Format.JPEG)).label()).isPresent();
  }
}
