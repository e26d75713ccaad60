package dev.f2p.engine.remote.internal;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why one call to one endpoint failed. The message is for the log: it names statuses and sizes, never a
 * prompt, an image or a credential.
 */
public final class CallException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What the failure means for the request and for the endpoint. */
  public enum Kind {
    /** The server provably never started (no connection; 429 or 503 before any work): try another endpoint. */
    NOT_STARTED,
    /** The server may have started: never retried. Counts against the endpoint. */
    FAILED,
    /** The answer was refused (too large, not the image asked for, another model). Counts against the endpoint. */
    BAD_ANSWER,
    /** The request's deadline passed; the call was cancelled. */
    TIMEOUT
  }

  private final Kind kind;
  private final boolean busy;
  private final Duration retryAfter;

  private CallException(Kind kind, boolean busy, Duration retryAfter, String message, @Nullable Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.busy = busy;
    this.retryAfter = retryAfter;
  }

  /** No connection could be made: the request never reached the server. */
  public static CallException unreachable(String message, Throwable cause) {
    return new CallException(Kind.NOT_STARTED, false, Duration.ZERO, message, cause);
  }

  /** The server said it is busy (429, 503, RESOURCE_EXHAUSTED, UNAVAILABLE) before doing any work. */
  public static CallException busy(Duration retryAfter, String message) {
    return new CallException(Kind.NOT_STARTED, true, retryAfter, message, null);
  }

  public static CallException failed(String message, @Nullable Throwable cause) {
    return new CallException(Kind.FAILED, false, Duration.ZERO, message, cause);
  }

  public static CallException failed(String message) {
    return failed(message, null);
  }

  public static CallException badAnswer(String message) {
    return new CallException(Kind.BAD_ANSWER, false, Duration.ZERO, message, null);
  }

  public static CallException timeout(String message, Throwable cause) {
    return new CallException(Kind.TIMEOUT, false, Duration.ZERO, message, cause);
  }

  /** Never null: every factory takes a message. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the server answered that it is busy (as opposed to not answering at all). */
  public boolean busy() {
    return busy;
  }

  /** The server's retry-after; zero when it gave none. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
