package dev.f2p.core.spi;

/**
 * A {@link ResourceGuard}'s circuit breaker as health checks see it ({@link ResourceGuard#breakerState()}):
 * read-only, taken at one instant.
 */
public enum BreakerState {
  /** Requests pass; consecutive engine failures are counted. */
  CLOSED,
  /** Everything is refused until the cool-down has passed. */
  OPEN,
  /** The cool-down has passed: the next request is admitted as the probe. */
  PROBE_DUE,
  /** One probe is running; everything else is refused until it reports. */
  HALF_OPEN
}
