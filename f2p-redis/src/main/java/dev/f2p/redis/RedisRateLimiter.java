package dev.f2p.redis;

import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
import java.time.Duration;
import java.util.Map;

/**
 * Shared token buckets while Redis answers; the failure mode while it does not. A failed call turns the
 * shared state down for every part of the coordination at once, so later requests do not each wait for
 * a timeout. Thread-safe.
 */
final class RedisRateLimiter implements RateLimiter, SecurityEventSource, AutoCloseable {
  private final RedisCoordination coordination;
  private final SharedStateHealth health;
  private final RateLimiter shared;
  private final RateLimiter local;
  private final boolean ownsCoordination;
  private final Decision<Quota> unavailable;

  RedisRateLimiter(RedisCoordination coordination, RateLimiter shared, RateLimiter local) {
    this(coordination, shared, local, false);
  }

  private RedisRateLimiter(RedisCoordination coordination, RateLimiter shared, RateLimiter local, boolean owns) {
    this.coordination = coordination;
    this.health = coordination.health();
    this.shared = shared;
    this.local = local;
    this.ownsCoordination = owns;
    Duration retry = Duration.ofSeconds(Math.max(1, (health.probeInterval().toMillis() + 999) / 1000));
    this.unavailable = Decision.reject(Rejection.of(ReasonCode.OVERLOADED, SharedStateHealth.UNAVAILABLE,
        ReasonCode.OVERLOADED.safeMessage()).withRetryAfter(retry), Map.of("ratelimit.store", "unavailable"));
  }

  /** The same limiter, closing the coordination when it is closed: for the provider, which made it. */
  RedisRateLimiter owningCoordination() {
    return new RedisRateLimiter(coordination, shared, local, true);
  }

  @Override
  public Decision<Quota> tryAcquire(Principal principal, String clientAddress) {
    if (health.isUp()) {
      try {
        return shared.tryAcquire(principal, clientAddress);
      } catch (RuntimeException e) {
        health.failed("rate limit", e);
      }
    }
    return health.mode() == FailureMode.FAIL_CLOSED ? unavailable : local.tryAcquire(principal, clientAddress);
  }

  @Override
  public void attach(SecurityEventPublisher publisher) {
    coordination.attach(publisher);
  }

  @Override
  public void close() {
    if (ownsCoordination) {
      coordination.close();
    }
  }
}
