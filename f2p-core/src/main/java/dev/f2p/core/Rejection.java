package dev.f2p.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Why a policy refused a request: a {@link ReasonCode} from a closed set, a machine-readable detail code
 * (such as {@code TOO_LARGE} or {@code HASH_LISTED}), a message safe to show the caller, the HTTP status,
 * where it applies a retry-after and the caller's quota, and how sure the policy is ({@link Confidence},
 * {@link Confidence#HIGH} unless a policy says otherwise). Immutable and thread-safe.
 */
public final class Rejection {
  private static final Pattern DETAIL = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  private final ReasonCode reason;
  private final String detail;
  private final String message;
  private final int httpStatus;
  private final Duration retryAfter;
  private final Quota quota;
  private final Confidence confidence;

  private Rejection(ReasonCode reason, String detail, String message, int httpStatus, Duration retryAfter,
      Quota quota, Confidence confidence) {
    this.reason = reason;
    this.detail = detail;
    this.message = message;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
    this.quota = quota;
    this.confidence = confidence;
  }

  /**
   * {@return a rejection with the reason's own detail code, safe message and HTTP status}
   *
   * @param reason why
   */
  public static Rejection of(ReasonCode reason) {
    Objects.requireNonNull(reason, "reason");
    return new Rejection(reason, reason.name(), reason.safeMessage(), reason.httpStatus(), Duration.ZERO, Quota.NONE,
        Confidence.HIGH);
  }

  /**
   * A rejection with a detail code ({@code [A-Z][A-Z0-9_]*}, at most 64 characters) and a message that
   * must be safe to show any caller: never a matched filter term, a class name or a stack trace.
    *
    * @param reason why
    * @param detail the machine-readable refinement
    * @param safeMessage what the caller is told
    * @return the rejection
    */
  public static Rejection of(ReasonCode reason, String detail, String safeMessage) {
    Objects.requireNonNull(reason, "reason");
    return of(reason).withDetail(detail, safeMessage);
  }

  /**
   * {@return this rejection with another detail code and safe message}
   *
   * @param detail the machine-readable refinement, {@code [A-Z][A-Z0-9_]*}
   * @param safeMessage what the caller is told, 1 to 300 characters
   */
  public Rejection withDetail(String detail, String safeMessage) {
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(safeMessage, "safeMessage");
    if (!DETAIL.matcher(detail).matches()) {
      throw new IllegalArgumentException("detail must match [A-Z][A-Z0-9_]{0,63}: " + detail);
    }
    if (safeMessage.isBlank() || safeMessage.length() > 300) {
      throw new IllegalArgumentException("safeMessage must be 1 to 300 characters");
    }
    return new Rejection(reason, detail, safeMessage, httpStatus, retryAfter, quota, confidence);
  }

  /**
   * {@return this rejection with another HTTP status (400 to 599), for example 413 or 415 for images}
   *
   * @param status the HTTP status
   */
  public Rejection withHttpStatus(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("httpStatus must be 400..599: " + status);
    }
    return new Rejection(reason, detail, message, status, retryAfter, quota, confidence);
  }

  /**
   * {@return this rejection telling the caller when to try again (rounded up to whole seconds on the wire)}
   *
   * @param retryAfter not negative; zero when unknown
   */
  public Rejection withRetryAfter(Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
    return new Rejection(reason, detail, message, httpStatus, retryAfter, quota, confidence);
  }

  /**
   * {@return this rejection carrying the caller's quota, so a transport can write rate-limit headers}
   *
   * @param quota the caller's standing
   */
  public Rejection withQuota(Quota quota) {
    return new Rejection(reason, detail, message, httpStatus, retryAfter, Objects.requireNonNull(quota, "quota"),
        confidence);
  }

  /**
   * This rejection with another confidence: {@link Confidence#LOW} when it rests on one ambiguous signal.
   * Rejections are {@link Confidence#HIGH} unless a policy says otherwise.
    *
    * @param confidence how sure the refusing policy was
    * @return the rejection
    */
  public Rejection withConfidence(Confidence confidence) {
    return new Rejection(reason, detail, message, httpStatus, retryAfter, quota,
        Objects.requireNonNull(confidence, "confidence"));
  }

  /** {@return why the request was refused} */
  public ReasonCode reason() {
    return reason;
  }

  /** {@return a machine-readable refinement of {@link #reason()}, such as {@code TOO_LARGE}; never secret} */
  public String detail() {
    return detail;
  }

  /** {@return a message safe to show the caller} */
  public String message() {
    return message;
  }

  /** {@return the HTTP status a transport answers with} */
  public int httpStatus() {
    return httpStatus;
  }

  /** {@return when to try again, if the refusal is temporary} */
  public Optional<Duration> retryAfter() {
    return retryAfter.isZero() ? Optional.empty() : Optional.of(retryAfter);
  }

  /** {@return the caller's quota at the time of the refusal, if a rate limiter knew it} */
  public Optional<Quota> quota() {
    return quota == Quota.NONE ? Optional.empty() : Optional.of(quota);
  }

  /** {@return how sure the policy is; {@link Confidence#HIGH} unless it said otherwise} */
  public Confidence confidence() {
    return confidence;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rejection r
        && reason == r.reason
        && detail.equals(r.detail)
        && message.equals(r.message)
        && httpStatus == r.httpStatus
        && retryAfter.equals(r.retryAfter)
        && quota.equals(r.quota)
        && confidence == r.confidence;
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, detail, message, httpStatus, retryAfter, quota, confidence);
  }

  @Override
  public String toString() {
    return "Rejection{" + reason + "/" + detail + ", " + httpStatus
        + (retryAfter.isZero() ? "" : ", retryAfter=" + retryAfter)
        + (confidence == Confidence.HIGH ? "" : ", confidence=" + confidence) + ", '" + message + "'}";
  }
}
