package dev.f2p.core.spi;

import dev.f2p.core.ReasonCode;
import java.time.Duration;
import java.util.Objects;

/**
 * An engine fault: the model failed ({@link ReasonCode#ENGINE_FAILURE}), is unavailable
 * ({@link ReasonCode#ENGINE_UNAVAILABLE}, for example after tampering was detected) or was stopped at its
 * deadline ({@link ReasonCode#TIMEOUT}), or a remote model server is busy ({@link ReasonCode#OVERLOADED},
 * built by {@link #overloaded}, with the server's retry-after). The message is for the log; the caller only
 * ever sees the reason's safe message.
 */
public class EngineException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why, as the caller will see it. */
  private final ReasonCode reason;
  /** When to try again; zero unless the server is busy. */
  private final Duration retryAfter;

  /**
   * An engine fault.
   *
   * @param reason {@link ReasonCode#ENGINE_FAILURE}, {@link ReasonCode#ENGINE_UNAVAILABLE} or
   *     {@link ReasonCode#TIMEOUT}
   * @param message for the log only
   */
  public EngineException(ReasonCode reason, String message) {
    super(message);
    this.reason = checked(reason);
    this.retryAfter = Duration.ZERO;
  }

  /**
   * An engine fault with its cause.
   *
   * @param reason {@link ReasonCode#ENGINE_FAILURE}, {@link ReasonCode#ENGINE_UNAVAILABLE} or
   *     {@link ReasonCode#TIMEOUT}
   * @param message for the log only
   * @param cause the underlying failure
   */
  public EngineException(ReasonCode reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = checked(reason);
    this.retryAfter = Duration.ZERO;
  }

  private EngineException(String message, Duration retryAfter) {
    super(message);
    this.reason = ReasonCode.OVERLOADED;
    this.retryAfter = retryAfter;
  }

  /**
   * The model server has no room now (it answered 429 or 503, or every endpoint is full): refused with
   * {@link ReasonCode#OVERLOADED}, telling the caller to retry after {@code retryAfter}. Not a fault: no
   * circuit breaker counts it.
   *
   * @param retryAfter when to try again; zero when the server did not say
   * @param message for the log only
   * @return the exception to throw
   */
  public static EngineException overloaded(Duration retryAfter, String message) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
    return new EngineException(message, retryAfter);
  }

  private static ReasonCode checked(ReasonCode reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason != ReasonCode.ENGINE_FAILURE && reason != ReasonCode.ENGINE_UNAVAILABLE
        && reason != ReasonCode.TIMEOUT) {
      throw new IllegalArgumentException("an engine fault is ENGINE_FAILURE, ENGINE_UNAVAILABLE or TIMEOUT: " + reason);
    }
    return reason;
  }

  /** {@return why, as the caller will see it} */
  public ReasonCode reason() {
    return reason;
  }

  /** {@return when the caller may try again; zero unless the reason is {@link ReasonCode#OVERLOADED}} */
  public Duration retryAfter() {
    return retryAfter;
  }
}
