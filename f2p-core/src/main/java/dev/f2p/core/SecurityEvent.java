package dev.f2p.core;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One security decision or action, as every {@link dev.f2p.core.spi.SecurityEventListener} sees it.
 *
 * <p>An event never carries a secret or personal data: a key appears as its key id, an image as the
 * keyed (HMAC) fingerprint of its bytes, a prompt as a keyed fingerprint. Attributes are short,
 * non-secret facts a policy adds (a prompt category, a perceptual hash, a produce id). Immutable and
 * thread-safe.
 */
public final class SecurityEvent {
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z][a-zA-Z0-9_.-]{0,63}");
  private static final int MAX_ATTRIBUTE_VALUE = 512;

  private final Instant timestamp;
  private final Stage stage;
  private final Outcome outcome;
  private final Severity severity;
  private final @Nullable String requestId;
  private final @Nullable String principalId;
  private final @Nullable String keyId;
  private final @Nullable String clientAddress;
  private final @Nullable ReasonCode reason;
  private final @Nullable String detail;
  private final Confidence confidence;
  private final Duration latency;
  private final @Nullable String imageFingerprint;
  private final @Nullable String promptFingerprint;
  private final Map<Stage, Duration> stageLatencies;
  private final Map<String, String> attributes;

  private SecurityEvent(Builder b) {
    this.timestamp = b.timestamp;
    this.stage = b.stage;
    this.outcome = b.outcome;
    this.severity = b.severity;
    this.requestId = b.requestId;
    this.principalId = b.principalId;
    this.keyId = b.keyId;
    this.clientAddress = b.clientAddress;
    this.reason = b.reason;
    this.detail = b.detail;
    this.confidence = b.confidence;
    this.latency = b.latency;
    this.imageFingerprint = b.imageFingerprint;
    this.promptFingerprint = b.promptFingerprint;
    this.stageLatencies = b.stageLatencies.isEmpty() ? Map.of() : new EnumMap<>(b.stageLatencies);
    this.attributes = Map.copyOf(b.attributes);
  }

  /**
   * {@return a builder for an event at a stage with an outcome; the timestamp defaults to now}
   *
   * @param stage where the event was decided
   * @param outcome what was decided
   */
  public static Builder builder(Stage stage, Outcome outcome) {
    return new Builder(stage, outcome);
  }

  /** {@return when it happened} */
  public Instant timestamp() {
    return timestamp;
  }

  /** {@return where in the pipeline it was decided} */
  public Stage stage() {
    return stage;
  }

  /** {@return what was decided} */
  public Outcome outcome() {
    return outcome;
  }

  /** {@return how urgently an operator should look at it} */
  public Severity severity() {
    return severity;
  }

  /** {@return the request this event belongs to; empty for events outside a request (operator actions)} */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** {@return the authenticated caller's id; empty before authentication or when it failed} */
  public Optional<String> principalId() {
    return Optional.ofNullable(principalId);
  }

  /** {@return the public id of the key presented (its prefix), never the key} */
  public Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }

  /** {@return the caller's network address as the host saw it} */
  public Optional<String> clientAddress() {
    return Optional.ofNullable(clientAddress);
  }

  /** {@return why the request was refused; empty for allowed requests and notices without a reason} */
  public Optional<ReasonCode> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * {@return a machine-readable detail, such as {@code TOO_LARGE}, {@code KEY_REVOKED} or
   * {@code MODEL_TAMPERED}}
   */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  /**
   * {@return how sure the refusing policy was}: {@link Confidence#HIGH} unless a {@link Rejection} said
   * {@link Confidence#LOW}; always {@code HIGH} for events that are not refusals.
   */
  public Confidence confidence() {
    return confidence;
  }

  /** {@return time spent: in the stage, or from the request's start for the final event} */
  public Duration latency() {
    return latency;
  }

  /**
   * {@return {@code hmac-sha256:<hex>}, the HMAC of the image bytes as received under the deployment's fingerprint
   * key} (see {@link ImageEditClient.Builder#fingerprintKey}): it correlates requests, it confirms no guess.
   */
  public Optional<String> imageFingerprint() {
    return Optional.ofNullable(imageFingerprint);
  }

  /** {@return {@code hmac-sha256/64:<hex>}, a keyed fingerprint of the prompt, never the prompt} */
  public Optional<String> promptFingerprint() {
    return Optional.ofNullable(promptFingerprint);
  }

  /** {@return time spent in each stage that ran; filled on the final event} */
  public Map<Stage, Duration> stageLatencies() {
    return stageLatencies;
  }

  /** {@return non-secret facts policies added, such as {@code prompt.category} or {@code produceId}} */
  public Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("SecurityEvent{").append(stage).append(' ').append(outcome);
    if (reason != null) {
      s.append(' ').append(reason);
    }
    if (detail != null) {
      s.append('/').append(detail);
    }
    if (confidence != Confidence.HIGH) {
      s.append(" confidence=").append(confidence);
    }
    if (requestId != null) {
      s.append(", request=").append(requestId);
    }
    if (principalId != null) {
      s.append(", principal=").append(principalId);
    }
    return s.append(", severity=").append(severity).append('}').toString();
  }

  /** Builds a {@link SecurityEvent}. Not thread-safe. */
  public static final class Builder {
    private Instant timestamp = Instant.now();
    private final Stage stage;
    private final Outcome outcome;
    private Severity severity = Severity.INFO;
    private @Nullable String requestId;
    private @Nullable String principalId;
    private @Nullable String keyId;
    private @Nullable String clientAddress;
    private @Nullable ReasonCode reason;
    private @Nullable String detail;
    private Confidence confidence = Confidence.HIGH;
    private Duration latency = Duration.ZERO;
    private @Nullable String imageFingerprint;
    private @Nullable String promptFingerprint;
    private final Map<Stage, Duration> stageLatencies = new EnumMap<>(Stage.class);
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Builder(Stage stage, Outcome outcome) {
      this.stage = Objects.requireNonNull(stage, "stage");
      this.outcome = Objects.requireNonNull(outcome, "outcome");
      if (outcome == Outcome.REJECTED) {
        severity = Severity.WARN;
      }
    }

    /**
     * When it happened; now (the client's clock) by default.
     *
     * @param timestamp the instant
     * @return this builder
     */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
      return this;
    }

    /**
     * How urgent; {@link Severity#WARN} for a refusal, else {@link Severity#INFO}, by default.
     *
     * @param severity the severity
     * @return this builder
     */
    public Builder severity(Severity severity) {
      this.severity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /**
     * The request the event belongs to; unset for operator actions.
     *
     * @param requestId the request's id
     * @return this builder
     */
    public Builder requestId(String requestId) {
      this.requestId = Objects.requireNonNull(requestId, "requestId");
      return this;
    }

    /**
     * The caller: its id and its key's public id.
     *
     * @param principal the authenticated caller
     * @return this builder
     */
    public Builder principal(Principal principal) {
      this.principalId = principal.id();
      this.keyId = principal.keyId();
      return this;
    }

    /**
     * The caller's id, when there is no {@link Principal} at hand.
     *
     * @param principalId the principal's id
     * @return this builder
     */
    public Builder principalId(String principalId) {
      this.principalId = Objects.requireNonNull(principalId, "principalId");
      return this;
    }

    /**
     * The key's public id; pass a key id, never the key.
     *
     * @param keyId the id of the key presented
     * @return this builder
     */
    public Builder keyId(String keyId) {
      this.keyId = Objects.requireNonNull(keyId, "keyId");
      return this;
    }

    /**
     * The caller's network address.
     *
     * @param clientAddress as the host saw it
     * @return this builder
     */
    public Builder clientAddress(String clientAddress) {
      this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
      return this;
    }

    /**
     * Why the request was refused.
     *
     * @param reason the reason
     * @return this builder
     */
    public Builder reason(ReasonCode reason) {
      this.reason = Objects.requireNonNull(reason, "reason");
      return this;
    }

    /**
     * A machine-readable detail, such as {@code TOO_LARGE}.
     *
     * @param detail the detail
     * @return this builder
     */
    public Builder detail(String detail) {
      this.detail = Objects.requireNonNull(detail, "detail");
      return this;
    }

    /**
     * Reason, detail and confidence of a rejection.
     *
     * @param rejection the refusal to record
     * @return this builder
     */
    public Builder rejection(Rejection rejection) {
      return reason(rejection.reason()).detail(rejection.detail()).confidence(rejection.confidence());
    }

    /**
     * How sure the refusing policy was; default {@link Confidence#HIGH}.
     *
     * @param confidence the policy's confidence
     * @return this builder
     */
    public Builder confidence(Confidence confidence) {
      this.confidence = Objects.requireNonNull(confidence, "confidence");
      return this;
    }

    /**
     * Time spent in the stage, or since the request's start for the final event.
     *
     * @param latency the time spent
     * @return this builder
     */
    public Builder latency(Duration latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /**
     * The keyed fingerprint of the image bytes ({@code hmac-sha256:<hex>}).
     *
     * @param imageFingerprint the fingerprint, never the image
     * @return this builder
     */
    public Builder imageFingerprint(String imageFingerprint) {
      this.imageFingerprint = Objects.requireNonNull(imageFingerprint, "imageFingerprint");
      return this;
    }

    /**
     * The keyed fingerprint of the prompt ({@code hmac-sha256/64:<hex>}).
     *
     * @param promptFingerprint the fingerprint, never the prompt
     * @return this builder
     */
    public Builder promptFingerprint(String promptFingerprint) {
      this.promptFingerprint = Objects.requireNonNull(promptFingerprint, "promptFingerprint");
      return this;
    }

    /**
     * Adds time spent per stage (the final event carries them all).
     *
     * @param latencies time spent per stage
     * @return this builder
     */
    public Builder stageLatencies(Map<Stage, Duration> latencies) {
      stageLatencies.putAll(latencies);
      return this;
    }

    /**
     * Adds a non-secret fact. Names match {@code [a-z][a-zA-Z0-9_.-]*} (at most 64 characters); values
     * are cut to 512 characters, so no policy can make an event unbounded.
     *
     * @param name the fact's name
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException when the name does not match
     */
    public Builder attribute(String name, String value) {
      Objects.requireNonNull(value, "value");
      if (!ATTRIBUTE_NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
        throw new IllegalArgumentException("attribute name must match [a-z][a-zA-Z0-9_.-]{0,63}: " + name);
      }
      attributes.put(name, value.length() > MAX_ATTRIBUTE_VALUE ? value.substring(0, MAX_ATTRIBUTE_VALUE) : value);
      return this;
    }

    /**
     * Adds each of these facts as {@link #attribute} does.
     *
     * @param attributes names to values
     * @return this builder
     */
    public Builder attributes(Map<String, String> attributes) {
      attributes.forEach(this::attribute);
      return this;
    }

    /** {@return the event} */
    public SecurityEvent build() {
      return new SecurityEvent(this);
    }
  }
}
