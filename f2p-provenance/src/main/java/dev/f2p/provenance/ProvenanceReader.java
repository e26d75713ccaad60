package dev.f2p.provenance;

import dev.f2p.core.internal.InMemoryImages;
import java.awt.image.BufferedImage;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads the provenance of a PNG or JPEG, ours or another producer's: the {@code TC260:AIGC} XMP label and,
 * given the key, the invisible watermark. Bounded ({@link #MAX_BYTES} bytes, {@link #MAX_PIXELS} pixels):
 * hostile input gives a report with a status, never an exception. Immutable and thread-safe.
 */
public final class ProvenanceReader {
  /** Files larger than this many bytes (64 MiB) are not parsed: {@link ProvenanceReport.Status#TOO_LARGE}. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;
  /**
   * Images with more pixels than this (32 Mi) are not decoded, whatever their byte size (a small file can
   * declare a huge image): {@link ProvenanceReport.Status#TOO_LARGE}, or no watermark from
   * {@link #readWatermark}.
   */
  public static final long MAX_PIXELS = 32L * 1024 * 1024;

  private final Optional<Watermark> watermark;

  private ProvenanceReader(Optional<Watermark> watermark) {
    this.watermark = watermark;
  }

  /**
   * A reader of labels only: it never decodes pixels, so it is cheap, and it works without the secret.
   *
   * @return a reader whose reports never carry a watermark
   */
  public static ProvenanceReader labelsOnly() {
    return new ProvenanceReader(Optional.empty());
  }

  /**
   * A reader of labels and of the watermark made with this key. Marks made with another key are not
   * found (their keyed check fails), so they read as unmarked.
   *
   * @param key the secret key the {@link ProvenanceOutputPolicy} was built with, at least
   *     {@value ProvenanceOutputPolicy#MIN_KEY_BYTES} bytes; copied
   * @return a reader of labels and watermarks
   * @throws IllegalArgumentException when the key is shorter than
   *     {@value ProvenanceOutputPolicy#MIN_KEY_BYTES} bytes
   */
  public static ProvenanceReader withWatermarkKey(byte[] key) {
    if (key.length < ProvenanceOutputPolicy.MIN_KEY_BYTES) {
      throw new IllegalArgumentException("watermark key must be at least " + ProvenanceOutputPolicy.MIN_KEY_BYTES
          + " bytes, was " + key.length);
    }
    return new ProvenanceReader(Optional.of(new Watermark(key.clone(), ProvenanceOutputPolicy.DEFAULT_WATERMARK_STRENGTH)));
  }

  /**
   * Reads an encoded file. Never throws on hostile bytes: what could not be read is a status.
   *
   * @param file the whole file, PNG or JPEG; not modified
   * @return the report: its status says how far reading got; a label is reported whenever the metadata
   *     held a well-formed one, even when the pixels could not be decoded (a file over {@link #MAX_BYTES}
   *     is not parsed at all)
   */
  public ProvenanceReport read(byte[] file) {
    if (file.length > MAX_BYTES) {
      return ProvenanceReport.of(ProvenanceReport.Status.TOO_LARGE);
    }
    Optional<byte[]> xmp;
    try {
      if (Containers.isPng(file)) {
        xmp = Containers.pngXmp(file);
      } else if (Containers.isJpeg(file)) {
        xmp = Containers.jpegXmp(file);
      } else {
        return ProvenanceReport.of(ProvenanceReport.Status.UNSUPPORTED_FORMAT);
      }
    } catch (RuntimeException e) {
      xmp = Optional.empty();
    }
    Optional<AigcLabel> label = xmp.flatMap(Xmp::parse);
    if (watermark.isEmpty()) {
      return new ProvenanceReport(ProvenanceReport.Status.READ, label, Optional.empty());
    }
    ProvenanceReport.Status[] status = {ProvenanceReport.Status.READ};
    Optional<BufferedImage> pixels = decodePixels(file, status);
    return new ProvenanceReport(status[0], label, pixels.flatMap(this::readWatermark));
  }

  /**
   * Reads the watermark from decoded pixels, searching every crop offset, so a cropped or brightened copy
   * still reads. CPU-bound, in the calling thread.
   *
   * @param image the pixels; not modified
   * @return the payload; empty for a labels-only reader, for an image over {@link #MAX_PIXELS}, for an
   *     unmarked image, one marked with another key, or one too damaged to read
   */
  public Optional<WatermarkPayload> readWatermark(BufferedImage image) {
    if (watermark.isEmpty() || (long) image.getWidth() * image.getHeight() > MAX_PIXELS) {
      return Optional.empty();
    }
    return watermark.get().decode(image).map(WatermarkPayload::new);
  }

  private static Optional<BufferedImage> decodePixels(byte[] file, ProvenanceReport.Status[] status) {
    try (ImageInputStream in = InMemoryImages.input(file)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        status[0] = ProvenanceReport.Status.MALFORMED;
        return Optional.empty();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
          status[0] = ProvenanceReport.Status.TOO_LARGE;
          return Optional.empty();
        }
        return Optional.of(reader.read(0));
      } finally {
        reader.dispose();
      }
    } catch (Exception e) {
      // Any decoder fault on hostile bytes is a malformed file, not our failure.
      status[0] = ProvenanceReport.Status.MALFORMED;
      return Optional.empty();
    }
  }
}
