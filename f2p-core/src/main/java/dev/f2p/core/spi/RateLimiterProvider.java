package dev.f2p.core.spi;

/** Builds a {@link RateLimiter} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.RateLimiterProvider}. */
public interface RateLimiterProvider extends PolicyProvider<RateLimiter> {}
