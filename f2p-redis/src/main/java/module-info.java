/** Optional: rate limits, lockouts and incident state shared across instances through Redis. */
module dev.f2p.redis {
  requires transitive dev.f2p.core;
  requires transitive dev.f2p.security;
  requires transitive dev.f2p.incident;
  requires io.github.bucket4j.core;
  requires io.github.bucket4j.lettuce;
  requires lettuce.core;
  requires static org.jspecify;

  exports dev.f2p.redis;

  provides dev.f2p.core.spi.RateLimiterProvider with dev.f2p.redis.RedisProviders.AsRateLimiter;
  provides dev.f2p.security.incident.IncidentStoreProvider with dev.f2p.redis.RedisProviders.AsIncidentStore;
  provides dev.f2p.security.auth.LockoutStoreProvider with dev.f2p.redis.RedisProviders.AsLockoutStore;
}
