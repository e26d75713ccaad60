package dev.f2p.security.ratelimit;

import dev.f2p.core.Role;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.RateLimiterProvider;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code token-bucket} rate limiter: a {@link TokenBucketRateLimiter} over a {@link LocalBucketStore}.
 * Settings (under {@code f2p.rate-limiter.}):
 *
 * <ul>
 *   <li>{@code limits.default}: limits for principals no other setting covers, default {@code 10/minute}
 *   <li>{@code limits.<ROLE>}: limits for a role, such as {@code limits.TRIAL=10/hour} or
 *       {@code limits.USER=100/hour;1000/day}
 *   <li>{@code limits.principal.<id>}: limits for one principal, overriding its roles'
 *   <li>{@code address}: limits per client address, default {@code 100/minute}; {@code none} for none
 *   <li>{@code max-tracked}: the most principals with a bucket of their own, default 100000
 *   <li>{@code max-tracked-addresses}: the most addresses (IPv6: prefixes) with a bucket of their own,
 *       default 100000; when all are in use, new ones share one overflow bucket
 *   <li>{@code idle-expiry}: how long a full, unused bucket is kept, default {@code 1d}
 * </ul>
 */
public final class TokenBucketRateLimiterProvider implements RateLimiterProvider {
  private static final String PRINCIPAL = "principal.";
  /** The limit settings {@link #configureLimits} reads, for other providers that read them too. */
  public static final Set<String> LIMIT_SETTINGS = Set.of("limits.*", "address");

  @Override
  public String name() {
    return "token-bucket";
  }

  @Override
  public Set<String> settingNames(PolicySettings settings) {
    Set<String> names = new HashSet<>(LIMIT_SETTINGS);
    names.addAll(Set.of("max-tracked", "max-tracked-addresses", "idle-expiry"));
    return names;
  }

  @Override
  public RateLimiter create(PolicySettings settings) {
    LocalBucketStore store = LocalBucketStore.builder()
        .maxTracked(settings.getInt("max-tracked", LocalBucketStore.DEFAULT_MAX_TRACKED))
        .maxTrackedAddresses(settings.getInt("max-tracked-addresses", LocalBucketStore.DEFAULT_MAX_TRACKED))
        .idleExpiry(settings.getDuration("idle-expiry", LocalBucketStore.DEFAULT_IDLE_EXPIRY))
        .clock(Clock.systemUTC())
        .build();
    return configureLimits(settings, TokenBucketRateLimiter.builder().store(store)).build();
  }

  /**
   * Applies the limit settings above ({@code limits.*}, {@code address}) to {@code b}: for other
   * providers that keep buckets elsewhere (Redis) and read the same settings.
   *
   * @param settings the limiter's settings
   * @param b the builder to configure, with its store already chosen
   * @return {@code b}
   * @throws IllegalArgumentException when a limit does not parse or is set twice; the message names the
   *     setting
   */
  public static TokenBucketRateLimiter.Builder configureLimits(PolicySettings settings, TokenBucketRateLimiter.Builder b) {
    for (Map.Entry<String, String> e : settings.scope("limits").asMap().entrySet()) {
      String name = e.getKey();
      String full = settings.fullName("limits." + name);
      try {
        if (name.equals("default")) {
          b.defaultLimits(e.getValue());
        } else if (name.startsWith(PRINCIPAL)) {
          b.principalLimits(name.substring(PRINCIPAL.length()), e.getValue());
        } else {
          b.roleLimits(Role.of(name), e.getValue());
        }
      } catch (IllegalArgumentException | IllegalStateException ex) {
        throw new IllegalArgumentException(full + ": " + ex.getMessage(), ex);
      }
    }
    String address = settings.get("address", "");
    try {
      if (address.equalsIgnoreCase("none")) {
        b.noAddressLimits();
      } else if (!address.isEmpty()) {
        b.addressLimits(address);
      }
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(settings.fullName("address") + ": " + ex.getMessage(), ex);
    }
    return b;
  }
}
