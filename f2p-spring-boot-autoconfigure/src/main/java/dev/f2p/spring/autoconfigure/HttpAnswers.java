package dev.f2p.spring.autoconfigure;

import dev.f2p.core.EditResult;
import dev.f2p.core.HttpFields;
import dev.f2p.core.Quota;
import dev.f2p.core.Rejection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * How the web front writes its answers straight onto the servlet response, the same for the header
 * admission, {@code POST /generate} and the error controller: the fields every answer carries
 * ({@code X-Request-Id}, {@code Cache-Control: no-store}, {@code nosniff}), the IETF {@code RateLimit}
 * fields, {@code Retry-After}, and RFC 9457 problems spelled by {@link HttpFields#problemJson}. No message
 * converter or JSON library runs, so a refusal costs little more than the admission that decided it. Stateless.
 */
final class HttpAnswers {
  static final String REQUEST_ID = "X-Request-Id";
  static final String API_KEY = "X-API-Key";
  static final String PROBLEM_JSON = "application/problem+json";

  private HttpAnswers() {}

  /**
   * A new request id, a random (version 4) UUID. From {@link java.util.concurrent.ThreadLocalRandom}, not
   * {@link java.util.UUID#randomUUID()}: an id must be unique, not secret, and the latter's shared
   * {@code SecureRandom} serializes every thread of a refusal flood.
   */
  static String newRequestId() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    long high = (r.nextLong() & ~0xF000L) | 0x4000L;
    long low = (r.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new java.util.UUID(high, low).toString();
  }

  /** The fields every answer carries. */
  static void common(HttpServletResponse response, String requestId) {
    response.setHeader(REQUEST_ID, requestId);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
  }

  static void quota(HttpServletResponse response, Optional<Quota> quota) {
    quota.ifPresent(q -> {
      response.setHeader("RateLimit-Policy", HttpFields.rateLimitPolicy(q));
      response.setHeader("RateLimit", HttpFields.rateLimit(q));
    });
  }

  /** A pipeline's refusal as its problem, with the rate-limit fields when the limiter judged the caller. */
  static void rejected(HttpServletResponse response, String requestId, EditResult.Rejected result, boolean close)
      throws IOException {
    Rejection r = result.rejection();
    problem(response, requestId, r.httpStatus(), r.reason().name(), r.message(), HttpFields.retryAfter(r),
        result.quota(), close);
  }

  /**
   * Writes a whole problem answer. {@code close}: the body was not (all) read, so the connection cannot be
   * reused and the container must not wait to swallow the rest of it.
   */
  static void problem(HttpServletResponse response, String requestId, int status, String code, String detail,
      Duration retryAfter, Optional<Quota> quota, boolean close) throws IOException {
    response.setStatus(status);
    common(response, requestId);
    long seconds = HttpFields.retryAfterSeconds(retryAfter);
    if (seconds > 0) {
      response.setHeader("Retry-After", Long.toString(seconds));
    }
    quota(response, quota);
    if (close) {
      response.setHeader("Connection", "close");
    }
    write(response, PROBLEM_JSON, HttpFields.problemJson(status, code, detail, requestId).getBytes(StandardCharsets.UTF_8));
  }

  static void write(HttpServletResponse response, String contentType, byte[] body) throws IOException {
    response.setContentType(contentType);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /**
   * Whether the request declares a body ({@code Content-Length} above zero, or any {@code Transfer-Encoding}):
   * refusing such a request leaves bytes unread, so its connection is closed rather than drained.
   */
  static boolean declaresBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }
}
