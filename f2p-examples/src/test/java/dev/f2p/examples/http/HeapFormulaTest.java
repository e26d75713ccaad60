package dev.f2p.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.security.image.StandardImageValidator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Finding 2 of issue 18: at the heap the README's formula gives for the shipped settings, sixteen
 * worst-case uploads at once end in documented outcomes only; before the decode budget they ended in
 * {@code OutOfMemoryError} inside the PDQ validator and uploads misreported as {@code CORRUPT}.
 */
class HeapFormulaTest {
  private static final long MIB = 1L << 20;
  /** The README's documented outcomes of an upload under attack. */
  private static final List<String> DOCUMENTED = List.of("IMAGE_REJECTED TOO_LARGE", "IMAGE_REJECTED NO_FACE",
      "OVERLOADED DECODE_BUSY", "OVERLOADED FINGERPRINT_BUSY", "ALLOWED -");

  /** The README's formula: 128 MiB + decode-memory + max-concurrent x (4 x max-body + 4 x max-pixels + 4 MiB). */
  static long documentedHeap(long decodeMemory, int maxConcurrent, long maxBody, long maxPixels) {
    return 128 * MIB + decodeMemory + maxConcurrent * (4 * maxBody + 4 * maxPixels + 4 * MIB);
  }

  @Test
  void sixteenWorstCaseUploadsAtTheDocumentedHeapEndInDocumentedOutcomesOnly() throws Exception {
    long heap = documentedHeap(StandardImageValidator.DEFAULT_DECODE_MEMORY, HttpService.DEFAULT_MAX_CONCURRENT,
        HttpService.DEFAULT_MAX_BODY_BYTES, StandardImageValidator.DEFAULT_MAX_PIXELS);
    assertThat(heap).as("the README's figure for the defaults").isEqualTo(1472 * MIB);
    try (ChildJvm child = new ChildJvm((heap / MIB) + "m", WorstCaseUploads.class, "service.properties",
        Long.toString(HttpService.DEFAULT_MAX_BODY_BYTES), Integer.toString(HttpService.DEFAULT_MAX_CONCURRENT))) {
      child.await("DONE");
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = child.output();
      assertThat(out).doesNotContain("ERROR ").doesNotContain("OutOfMemoryError").doesNotContain("CORRUPT");
      List<String> outcomes = out.lines().filter(l -> l.startsWith("OUTCOME "))
          .map(l -> l.substring("OUTCOME ".length(), l.lastIndexOf(' '))).toList();
      assertThat(outcomes).as(out).hasSize(HttpService.DEFAULT_MAX_CONCURRENT).allMatch(DOCUMENTED::contains);
      assertThat(outcomes).as("the bombs are refused from their header").filteredOn("IMAGE_REJECTED TOO_LARGE"::equals)
          .hasSize(HttpService.DEFAULT_MAX_CONCURRENT / 2);
      assertThat(outcomes).as("the largest allowed images were decoded and checked for a face")
          .contains("IMAGE_REJECTED NO_FACE");
      assertThat(child.process.exitValue()).isZero();
    }
  }
}
