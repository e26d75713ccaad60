package dev.f2p.core;

import java.time.Duration;
import java.util.Locale;

/**
 * The HTTP spelling of a pipeline's answers, shared by every HTTP front so they all speak one contract:
 * the IETF httpapi "RateLimit header fields for HTTP" ({@code RateLimit-Policy} and {@code RateLimit},
 * since draft -07 structured-field lists of items named by the policy, e.g.
 * {@code RateLimit-Policy: "per-key";q=10;w=60} and {@code RateLimit: "per-key";r=3;t=42}),
 * {@code Retry-After}, and the RFC 9457 problem of a refusal ({@link #problemJson}). Seconds are rounded up, so a
 * client that waits what it is told is never early. Stateless and thread-safe.
 */
public final class HttpFields {
  /** The {@code Retry-After} of a 429 or 503 whose policy named no time. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

  private HttpFields() {}

  /**
   * @param quota the caller's standing
   * @return the value of the {@code RateLimit-Policy} field
   */
  public static String rateLimitPolicy(Quota quota) {
    return sfString(quota.policy()) + ";q=" + quota.limit() + ";w=" + ceilSeconds(quota.window());
  }

  /**
   * @param quota the caller's standing
   * @return the value of the {@code RateLimit} field
   */
  public static String rateLimit(Quota quota) {
    return sfString(quota.policy()) + ";r=" + quota.remaining() + ";t=" + ceilSeconds(quota.reset());
  }

  /**
   * How long a refused caller should wait: the rejection's own retry-after, or
   * {@link #DEFAULT_RETRY_AFTER} for a 429 or 503 that named none (such a status always tells the
   * client when to come back); zero when the caller should not retry.
   *
   * @param rejection the refusal
   * @return the wait; zero for none
   */
  public static Duration retryAfter(Rejection rejection) {
    int status = rejection.httpStatus();
    return rejection.retryAfter().orElse(status == 429 || status == 503 ? DEFAULT_RETRY_AFTER : Duration.ZERO);
  }

  /**
   * @param wait a wait, as {@link #retryAfter(Rejection)} gives it
   * @return the {@code Retry-After} value in whole seconds, rounded up and at least 1; 0 for no wait
   */
  public static long retryAfterSeconds(Duration wait) {
    return wait.isZero() || wait.isNegative() ? 0 : Math.max(1, ceilSeconds(wait));
  }

  /**
   * @param code a {@link ReasonCode} name or a front's own problem code ({@code NOT_FOUND})
   * @return the problem's {@code type} URI, {@code urn:f2p:problem:} and the code in kebab case
   */
  public static String problemType(String code) {
    return "urn:f2p:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The RFC 9457 {@code application/problem+json} body every front writes: the standard members and our
   * machine-readable {@code code}, the request id as {@code instance}. Built without a JSON library, so a
   * front can answer a refusal before any framework runs.
   *
   * @param status the HTTP status
   * @param code a {@link ReasonCode} name or a front's own problem code
   * @param detail a text safe to show any caller ({@link Rejection#message()} or a fixed text)
   * @param instance the request id
   * @return the JSON object
   */
  public static String problemJson(int status, String code, String detail, String instance) {
    return "{\"type\":" + jsonString(problemType(code)) + ",\"title\":" + jsonString(problemTitle(status))
        + ",\"status\":" + status + ",\"detail\":" + jsonString(detail) + ",\"instance\":" + jsonString(instance)
        + ",\"code\":" + jsonString(code) + "}";
  }

  /**
   * @param status an HTTP error status
   * @return its problem {@code title}: the RFC 9110 reason phrase, or a generic one for a status we never send
   */
  public static String problemTitle(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 417 -> "Expectation Failed";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> status < 500 ? "Client Error" : "Server Error";
    };
  }

  /**
   * @param d a duration
   * @return its whole seconds, rounded up
   */
  public static long ceilSeconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }

  /**
   * The JSON string literal of {@code text} (RFC 8259): quote, backslash and control characters escaped, and
   * U+2028 / U+2029 too, so the literal is also safe inside JavaScript. For the problem+json bodies and other
   * small documents an HTTP front or a service adapter writes without a JSON library.
   *
   * @param text any text
   * @return the quoted literal
   */
  public static String jsonString(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16).append('"');
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** An RFC 8941 sf-string: printable ASCII, quote and backslash escaped, anything else replaced. */
  static String sfString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else {
        b.append(c >= 0x20 && c < 0x7f ? c : '?');
      }
    }
    return b.append('"').toString();
  }
}
