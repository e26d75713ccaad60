package dev.f2p.examples.http;

import dev.f2p.core.HttpFields;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * One RFC 9457 problem: the status, our machine-readable {@code code} (a {@link ReasonCode} name, or one of
 * the service's own codes for pure HTTP matters) and a detail that is safe to show any caller. Built only
 * from {@link Rejection#message()} or from the fixed texts below, never from an exception or from input, so
 * no stack trace, class name or matched filter term can reach a body.
 */
record Problem(int status, String code, String detail, Duration retryAfter) {
  static final String MEDIA_TYPE = "application/problem+json";
  /** The path names no resource. */
  static final String NOT_FOUND = "NOT_FOUND";
  /** The path exists but not with this method. */
  static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
  /** The body crossed {@code --max-body} while it was read. */
  static final String BODY_TOO_LARGE = "BODY_TOO_LARGE";
  /** The host wired no {@link AdminActions} for this action. */
  static final String NOT_CONFIGURED = "NOT_CONFIGURED";

  Problem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(retryAfter, "retryAfter");
  }

  static Problem of(int status, String code, String detail) {
    return new Problem(status, code, detail, Duration.ZERO);
  }

  static Problem malformed(String detail) {
    return of(400, ReasonCode.INVALID_REQUEST.name(), detail);
  }

  /**
   * The problem for a pipeline's refusal. A 429 or 503 always tells the client when to come back: the
   * rejection's retry-after, or {@link HttpFields#DEFAULT_RETRY_AFTER}.
   */
  static Problem from(Rejection rejection) {
    return new Problem(rejection.httpStatus(), rejection.reason().name(), rejection.message(),
        HttpFields.retryAfter(rejection));
  }

  static Problem overloaded(String detail, Duration retryAfter) {
    return new Problem(503, ReasonCode.OVERLOADED.name(), detail, retryAfter);
  }

  /** The problem as a JSON object; {@code instance} is the request id, as in {@code X-Request-Id}. */
  byte[] toJson(String requestId) {
    return HttpFields.problemJson(status, code, detail, requestId).getBytes(StandardCharsets.UTF_8);
  }

  /** Retry-After in whole seconds, rounded up; at least one second when any wait was given. */
  long retryAfterSeconds() {
    return HttpFields.retryAfterSeconds(retryAfter);
  }

  static long ceilSeconds(Duration d) {
    return HttpFields.ceilSeconds(d);
  }

  /** Thrown while reading a request to answer with this problem instead of going on. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Failure(Problem problem) {
      super(problem.code(), null, false, false);
      this.problem = problem;
    }

    Problem problem() {
      return problem;
    }
  }
}
