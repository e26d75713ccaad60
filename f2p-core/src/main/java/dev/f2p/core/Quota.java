package dev.f2p.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A caller's standing against one rate-limit policy, in the terms of the IETF "RateLimit header fields
 * for HTTP" draft: the policy's name, its quota {@code limit} per {@code window}, what {@code remaining}
 * of it and when it is next {@code reset}. Immutable.
 *
 * @param policy a short name for the policy, such as {@code per-key}
 * @param limit how many requests the window allows
 * @param window the window's length
 * @param remaining how many requests remain now (0 when refused)
 * @param reset when at least one more request will be allowed (zero when one is allowed now)
 */
public record Quota(String policy, long limit, Duration window, long remaining, Duration reset) {
  /** No quota is known: the rate limiter does not report one. */
  public static final Quota NONE = new Quota("none", 0, Duration.ZERO, 0, Duration.ZERO);

  /**
   * Nothing may be null or negative.
   *
   * @param policy a short name for the policy, such as {@code per-key}
   * @param limit how many requests the window allows
   * @param window the window's length
   * @param remaining how many requests remain now (0 when refused)
   * @param reset when at least one more request will be allowed (zero when one is allowed now)
   */
  public Quota {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(reset, "reset");
    if (limit < 0 || remaining < 0 || window.isNegative() || reset.isNegative()) {
      throw new IllegalArgumentException("quota values must not be negative");
    }
  }
}
