package dev.f2p.provenance;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ProvenanceReader} found in a file. Immutable and thread-safe.
 *
 * @param status whether the file could be read at all
 * @param label the {@code TC260:AIGC} implicit label, when present and well formed
 * @param watermark the invisible watermark's payload, when the reader has the key and found it
 */
public record ProvenanceReport(Status status, Optional<AigcLabel> label, Optional<WatermarkPayload> watermark) {
  /** How far the reader got. */
  public enum Status {
    /** A PNG or JPEG that was read; {@code label} and {@code watermark} say what it carries. */
    READ,
    /** Neither PNG nor JPEG. */
    UNSUPPORTED_FORMAT,
    /** Larger than the reader's byte or pixel bound. */
    TOO_LARGE,
    /** Broken or hostile: its metadata was read where possible, its pixels could not be. */
    MALFORMED
  }

  /**
   * Checks that every component is given.
   *
   * @param status whether the file could be read at all
   * @param label the implicit label; empty when absent or malformed
   * @param watermark the watermark's payload; empty when not looked for or not found
   */
  public ProvenanceReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(watermark, "watermark");
  }

  static ProvenanceReport of(Status status) {
    return new ProvenanceReport(status, Optional.empty(), Optional.empty());
  }
}
