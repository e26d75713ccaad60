package dev.f2p.provenance;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.internal.BuilderOptions;
import dev.f2p.core.internal.InMemoryImages;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.OutputContext;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.core.spi.OutputPolicy;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The output policy of GB 45438-2025: draws the visible label ("AI生成" / "AI-generated" by default),
 * embeds the keyed invisible watermark in every output it releases (a narrow output is marked along its
 * long side), checks that the watermark reads back, and encodes PNG or JPEG carrying the {@code TC260:AIGC}
 * XMP label. Every output gets a fresh {@code ProduceID}; the decision carries it as the event attribute
 * {@code produceId}, the watermark payload as {@code watermark.payload} and what happened to the watermark
 * as {@code watermark} ({@code embedded}, {@code disabled} or {@code unverified}).
 *
 * <p>Fails closed: an output it cannot label, one too small to carry the whole watermark (detail
 * {@code WATERMARK_DOES_NOT_FIT}: both sides under 128 pixels, or one under 16, or a strip too short for
 * the mark laid along it), or one whose watermark does not read back (unless
 * {@link Builder#watermarkFailClosed(boolean)} is off), is refused with {@link ReasonCode#OUTPUT_REJECTED}:
 * a visible label crops off and XMP strips, so no output leaves with those alone.
 * Immutable and thread-safe: build one and share it.
 */
public final class ProvenanceOutputPolicy implements OutputPolicy {
  /** Default label lines. */
  public static final List<String> DEFAULT_LABEL = List.of("AI生成", "AI-generated");
  /** Default corner of the visible label. */
  public static final LabelCorner DEFAULT_CORNER = LabelCorner.BOTTOM_RIGHT;
  /** Default JPEG quality, when the format is JPEG. */
  public static final int DEFAULT_JPEG_QUALITY = 90;
  /**
   * Default watermark strength: the scale of the coefficient changes that carry the bits. Whatever the
   * strength, the change to the picture stays within a fixed budget (about 38.5 dB PSNR in luma).
   */
  public static final double DEFAULT_WATERMARK_STRENGTH = 1.0;
  /** Outputs above this many pixels are refused rather than processed. */
  public static final long MAX_PIXELS = 64L * 1024 * 1024;
  /** The shortest watermark key accepted, in bytes. */
  public static final int MIN_KEY_BYTES = 16;

  /** Output file formats. */
  public enum Format {
    /** Lossless; the default. The watermark is read back from exactly the pixels that leave. */
    PNG("image/png"),
    /**
     * Lossy, at {@link Builder#jpegQuality}; smaller files. The watermark is verified on the pixels
     * before the lossy encoding.
     */
    JPEG("image/jpeg");

    private final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }

    /**
     * The media type of files in this format.
     *
     * @return {@code image/png} or {@code image/jpeg}
     */
    public String mediaType() {
      return mediaType;
    }
  }

  private final String producer;
  private final String propagator;
  private final LabelRenderer renderer;
  private final Format format;
  private final int jpegQuality;
  private final Optional<Watermark> watermark;
  private final boolean failClosed;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private ProvenanceOutputPolicy(Builder b) {
    this.producer = Objects.requireNonNull(b.producer, "checked by build()");
    this.propagator = b.propagator;
    this.renderer = new LabelRenderer(b.label, b.corner);
    this.format = b.format;
    this.jpegQuality = b.jpegQuality;
    this.watermark = b.key == null ? Optional.empty() : Optional.of(new Watermark(b.key, b.strength));
    this.failClosed = b.failClosed;
    this.clock = b.clock;
  }

  /**
   * A builder; {@link Builder#producer} and either {@link Builder#watermarkKey} or
   * {@link Builder#disableWatermark} are required.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Decision<OutputImage> apply(GeneratedImage generated, OutputContext context) {
    try {
      return label(generated, context);
    } catch (RuntimeException e) {
      // Fail closed with a typed refusal; the cause is ours (an encoder or a font), never the caller's.
      return Decision.reject(Rejection.of(ReasonCode.OUTPUT_REJECTED, "LABEL_FAILED", ReasonCode.OUTPUT_REJECTED.safeMessage()));
    }
  }

  private Decision<OutputImage> label(GeneratedImage generated, OutputContext context) {
    BufferedImage source = generated.pixels();
    int w = source.getWidth();
    int h = source.getHeight();
    if ((long) w * h > MAX_PIXELS) {
      return Decision.reject(Rejection.of(ReasonCode.OUTPUT_REJECTED, "OUTPUT_TOO_LARGE", ReasonCode.OUTPUT_REJECTED.safeMessage()));
    }
    if (watermark.isPresent() && !Watermark.fits(w, h)) {
      return Decision.reject(Rejection.of(ReasonCode.OUTPUT_REJECTED, "WATERMARK_DOES_NOT_FIT",
          ReasonCode.OUTPUT_REJECTED.safeMessage()), Map.of("watermark", "does-not-fit"));
    }
    String produceId = produceId(context.requestId());
    WatermarkPayload payload = WatermarkPayload.of(producer, produceId);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("produceId", produceId);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.drawImage(source, 0, 0, null);
    g.dispose();
    // Label first, mark second: the mark then also covers the label's pixels, and the check below reads
    // exactly what leaves.
    renderer.draw(image);
    String state;
    if (watermark.isEmpty()) {
      state = "disabled";
    } else {
      watermark.get().embed(image, payload.bits());
      attributes.put("watermark.payload", payload.hex());
      if (watermark.get().decode(image).filter(p -> p == payload.bits()).isPresent()) {
        state = "embedded";
      } else if (failClosed) {
        attributes.put("watermark", "unverified");
        return Decision.reject(Rejection.of(ReasonCode.OUTPUT_REJECTED, "WATERMARK_UNVERIFIED",
            ReasonCode.OUTPUT_REJECTED.safeMessage()), attributes);
      } else {
        state = "unverified";
      }
    }
    attributes.put("watermark", state);
    AigcLabel label = new AigcLabel(AigcLabel.GENERATED, producer, produceId,
        state.equals("embedded") || state.equals("unverified") ? payload.hex() : "", propagator, "", "");
    byte[] xmp = Xmp.packet(label);
    byte[] bytes = format == Format.PNG
        ? Containers.insertPngXmp(InMemoryImages.png(image), xmp)
        : Containers.insertJpegXmp(InMemoryImages.encode(image, "jpeg", jpegQuality), xmp);
    return Decision.allow(new OutputImage(bytes, format.mediaType(), w, h), attributes);
  }

  /**
   * A UUIDv7-shaped id: milliseconds from the clock, twelve bits from a digest of the request id (so ids
   * of one request group together in logs without revealing it), and 62 random bits.
   */
  private String produceId(String requestId) {
    long millis = clock.millis();
    long requestBits;
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
      requestBits = ((d[0] & 0xff) << 4) | ((d[1] & 0xff) >>> 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long high = (millis << 16) | 0x7000L | requestBits;
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  @Override
  public String toString() {
    // Never the key.
    return "ProvenanceOutputPolicy{producer=" + producer + ", format=" + format + ", watermark="
        + (watermark.isPresent() ? "on" : "off") + "}";
  }

  /** Builds a {@link ProvenanceOutputPolicy}; {@link #producer} is required, each option may be set once. */
  public static final class Builder {
    private @Nullable String producer;
    private String propagator = "";
    private List<String> label = DEFAULT_LABEL;
    private LabelCorner corner = DEFAULT_CORNER;
    private Format format = Format.PNG;
    private int jpegQuality = DEFAULT_JPEG_QUALITY;
    private byte @Nullable [] key;
    private boolean watermarkDisabled;
    private double strength = DEFAULT_WATERMARK_STRENGTH;
    private boolean failClosed = true;
    private Clock clock = Clock.systemUTC();
    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * Required: the {@code ContentProducer} (the service's name or filing code). It goes into every
     * output's XMP label, and its digest into the watermark's producer tag.
     *
     * @param producer 1 to 256 characters, not blank; surrounding white space is dropped
     * @return this builder
     * @throws IllegalArgumentException when blank or longer than 256 characters
     * @throws IllegalStateException when already set
     */
    public Builder producer(String producer) {
      options.once("producer");
      this.producer = requireText("producer", producer);
      return this;
    }

    /**
     * The {@code ContentPropagator}, for a service that also spreads what it makes; empty by default.
     *
     * @param propagator the propagator's name or code; surrounding white space is dropped
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder propagator(String propagator) {
      options.once("propagator");
      this.propagator = Objects.requireNonNull(propagator, "propagator").trim();
      return this;
    }

    /**
     * The visible label's lines; default {@link #DEFAULT_LABEL}. Each line is drawn at least 5% of the
     * output's shorter side high, as the standard asks.
     *
     * @param lines 1 to 4 lines, each non-blank and at most 40 characters; copied
     * @return this builder
     * @throws IllegalArgumentException when the lines are out of those bounds
     * @throws IllegalStateException when already set
     */
    public Builder label(List<String> lines) {
      options.once("label");
      if (lines.isEmpty() || lines.size() > 4 || lines.stream().anyMatch(l -> l.isBlank() || l.length() > 40)) {
        throw new IllegalArgumentException("label must be 1 to 4 non-blank lines of at most 40 characters: " + lines);
      }
      this.label = List.copyOf(lines);
      return this;
    }

    /**
     * Where the visible label sits; default {@link #DEFAULT_CORNER}.
     *
     * @param corner the corner
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder corner(LabelCorner corner) {
      options.once("corner");
      this.corner = Objects.requireNonNull(corner, "corner");
      return this;
    }

    /**
     * The file format of every output; default {@link Format#PNG}.
     *
     * @param format PNG or JPEG
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder format(Format format) {
      options.once("format");
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * JPEG quality; default {@value #DEFAULT_JPEG_QUALITY}. Ignored for PNG.
     *
     * @param quality 50 to 100
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when already set
     */
    public Builder jpegQuality(int quality) {
      options.once("jpegQuality");
      if (quality < 50 || quality > 100) {
        throw new IllegalArgumentException("jpegQuality must be 50 to 100: " + quality);
      }
      this.jpegQuality = quality;
      return this;
    }

    /**
     * The secret watermark key; required unless the watermark is disabled. Only a reader with the same
     * key finds the mark, and only the key can forge one: keep it as secret as a signing key.
     *
     * @param key at least {@value #MIN_KEY_BYTES} random bytes; copied, so the caller may clear its array
     * @return this builder
     * @throws IllegalArgumentException when shorter than {@value #MIN_KEY_BYTES} bytes
     * @throws IllegalStateException when already set
     */
    public Builder watermarkKey(byte[] key) {
      options.once("watermarkKey");
      if (key.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException("watermark key must be at least " + MIN_KEY_BYTES + " bytes, was " + key.length);
      }
      this.key = key.clone();
      return this;
    }

    /**
     * Labels only, no invisible watermark: outputs carry the visible and XMP labels, which crop off and
     * strip. Excludes {@link #watermarkKey}.
     *
     * @return this builder
     * @throws IllegalStateException when already called
     */
    public Builder disableWatermark() {
      options.once("disableWatermark");
      this.watermarkDisabled = true;
      return this;
    }

    /**
     * Watermark strength; default {@value #DEFAULT_WATERMARK_STRENGTH}. Stronger survives more damage;
     * the PSNR budget caps the change to the picture either way.
     *
     * @param strength 0.5 to 2.0
     * @return this builder
     * @throws IllegalArgumentException when out of range (NaN included)
     * @throws IllegalStateException when already set
     */
    public Builder watermarkStrength(double strength) {
      options.once("watermarkStrength");
      if (!(strength >= 0.5 && strength <= 2.0)) {
        throw new IllegalArgumentException("watermark strength must be 0.5 to 2.0: " + strength);
      }
      this.strength = strength;
      return this;
    }

    /**
     * Whether an output whose watermark does not read back is refused (detail
     * {@code WATERMARK_UNVERIFIED}); default {@code true}. Off, such an output leaves with the event
     * attribute {@code watermark=unverified}.
     *
     * @param failClosed false to release outputs whose mark did not verify
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder watermarkFailClosed(boolean failClosed) {
      options.once("watermarkFailClosed");
      this.failClosed = failClosed;
      return this;
    }

    /**
     * The clock for {@code ProduceID} timestamps; the system UTC clock by default.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder clock(Clock clock) {
      options.once("clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return an immutable, thread-safe policy
     * @throws IllegalStateException when no producer is set, or neither a watermark key nor
     *     {@link #disableWatermark} is given, or both are
     */
    public ProvenanceOutputPolicy build() {
      if (producer == null) {
        throw new IllegalStateException("producer is required (the ContentProducer of the implicit label)");
      }
      if (watermarkDisabled && key != null) {
        throw new IllegalStateException("watermark key given but the watermark is disabled");
      }
      if (!watermarkDisabled && key == null) {
        throw new IllegalStateException("watermark key is required unless the watermark is disabled");
      }
      return new ProvenanceOutputPolicy(this);
    }

    private static String requireText(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank() || value.length() > 256) {
        throw new IllegalArgumentException(name + " must be 1 to 256 characters: " + value);
      }
      return value.trim();
    }
  }
}
