package dev.f2p.examples.http;

import com.sun.net.httpserver.Headers;
import dev.f2p.core.Quota;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields of the IETF httpapi draft "RateLimit header
 * fields for HTTP" (since -07: structured-field lists of items named by the policy), for example
 * {@code RateLimit-Policy: "per-key";q=10;w=60} and {@code RateLimit: "per-key";r=3;t=42}. Seconds are
 * rounded up, so a client that waits {@code t} is never early.
 */
final class RateLimitFields {
  private RateLimitFields() {}

  static void write(Headers headers, Quota quota) {
    String name = sfString(quota.policy());
    headers.set("RateLimit-Policy", name + ";q=" + quota.limit() + ";w=" + Problem.ceilSeconds(quota.window()));
    headers.set("RateLimit", name + ";r=" + quota.remaining() + ";t=" + Problem.ceilSeconds(quota.reset()));
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
