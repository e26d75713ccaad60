package dev.f2p.examples.http;

import com.sun.net.httpserver.Headers;
import dev.f2p.core.HttpFields;
import dev.f2p.core.Quota;

/** Writes the IETF {@code RateLimit-Policy} and {@code RateLimit} fields as {@link HttpFields} spells them. */
final class RateLimitFields {
  private RateLimitFields() {}

  static void write(Headers headers, Quota quota) {
    headers.set("RateLimit-Policy", HttpFields.rateLimitPolicy(quota));
    headers.set("RateLimit", HttpFields.rateLimit(quota));
  }
}
