package dev.f2p.redis;

import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.RateLimiterProvider;
import dev.f2p.security.auth.LockoutPolicy;
import dev.f2p.security.auth.LockoutStore;
import dev.f2p.security.auth.LockoutStoreProvider;
import dev.f2p.security.incident.IncidentChange;
import dev.f2p.security.incident.IncidentStore;
import dev.f2p.security.incident.IncidentStoreProvider;
import dev.f2p.security.incident.IncidentTarget;
import dev.f2p.security.incident.LockdownMode;
import dev.f2p.security.ratelimit.TokenBucketRateLimiterProvider;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The providers that put a client's shared state in Redis, all named {@code redis} and all sharing one
 * {@link RedisCoordination} per client build ({@code PolicySettings.shared("redis", ...)}):
 *
 * <ul>
 *   <li>rate limits: {@code f2p.rate-limiter.type=redis}, with the {@code token-bucket} limit settings
 *       ({@code limits.default}, {@code limits.<ROLE>}, {@code limits.principal.<id>}, {@code address})
 *   <li>lockouts: {@code f2p.authenticator.type=api-key} with {@code f2p.authenticator.lockout.store=redis}
 *   <li>incident state: {@code f2p.authorizer.incident.store=redis} (or under {@code f2p.listener.incident.}
 *       or {@code f2p.authenticator.incident.}, wherever the incident settings are given)
 * </ul>
 *
 * <p>The connection settings live in the common scope {@code f2p.redis.} (as the HTTP service's
 * {@code --redis URI} sets {@code f2p.redis.uri}), read by every provider; a provider may instead be
 * given its own under {@code redis.} in its scope (such as {@code f2p.rate-limiter.redis.uri}), which
 * then replaces the common ones. One coordination is built per client, from the first provider's
 * settings; another provider with a different set fails the build. Names (after {@code f2p.redis.}):
 *
 * <ul>
 *   <li>{@code uri}: {@code redis://host:port[/db]} or {@code rediss://} (TLS); required
 *   <li>{@code username}, {@code password-env} (the name of an environment variable holding
 *       the password) or {@code password}: an ACL user and its password
 *   <li>{@code prefix}: key prefix, default {@code f2p:}
 *   <li>{@code command-timeout} (default {@code 250ms}), {@code connect-timeout} (default
 *       {@code 1s}), {@code probe-interval} (default {@code 1s}), {@code bucket-grace}
 *       (default {@code 10s})
 *   <li>{@code failure-mode}: {@code fail-closed} (default) or {@code local-fallback}
 *   <li>{@code instances}: instances sharing the limits, for the fallback's share (default 1)
 *   <li>{@code max-tracked}: callers tracked by the fallback, restrictions held (default 100000)
 * </ul>
 *
 * <p>The rate limiter and the incident store close the coordination when the client closes them.
 */
public final class RedisProviders {
  /** The shared-object key the providers use. */
  public static final String SHARED_KEY = "redis";
  /** The common scope every provider falls back to: {@code f2p.redis.uri} and so on. */
  public static final String COMMON_SCOPE = "f2p.redis";

  /**
   * The connection settings every provider here declares ({@link dev.f2p.core.spi.PolicyProvider#settingNames}):
   * each by name in the common scope, and the provider's own {@code redis.} scope that overrides it as a
   * whole.
   */
  static final Set<String> SETTINGS = Stream.concat(Stream.of("redis.*"), Stream.of("uri", "username", "password",
          "password-env", "prefix", "command-timeout", "connect-timeout", "failure-mode", "instances", "probe-interval",
          "bucket-grace", "max-tracked").map(n -> COMMON_SCOPE + "." + n))
      .collect(Collectors.toUnmodifiableSet());

  private RedisProviders() {}

  /** The client's coordination, built from the first scope that configures one. */
  static RedisCoordination shared(PolicySettings scope) {
    PolicySettings own = scope.scope("redis");
    PolicySettings redis = own.asMap().isEmpty() ? scope.global(COMMON_SCOPE) : own;
    Holder holder = scope.shared(SHARED_KEY, Holder.class, () -> new Holder(build(redis), redis.asMap()));
    if (!redis.asMap().isEmpty() && !redis.asMap().equals(holder.settings)) {
      throw new IllegalStateException("Redis is configured in two places with different settings; keep them under "
          + "one scope (found " + redis.fullName("*") + ")");
    }
    return holder.coordination;
  }

  /**
   * The coordination the providers built for the client these settings configured, for health checks
   * (its {@link RedisCoordination#isSharedStateAvailable()}); empty when no provider here was selected.
   *
   * @param settings the settings the client was built from
   * @return the client's coordination, or empty
   */
  public static Optional<RedisCoordination> coordination(PolicySettings settings) {
    return settings.findShared(SHARED_KEY, Holder.class).map(Holder::coordination);
  }

  /** A coordination with the settings it came from; the registry keeps one per client build. */
  private record Holder(RedisCoordination coordination, Map<String, String> settings) {}

  static RedisCoordination build(PolicySettings s) {
    RedisCoordination.Builder b = RedisCoordination.builder().uri(s.require("uri"));
    Optional<String> password = s.get("password");
    Optional<String> env = s.get("password-env");
    if (password.isPresent() && env.isPresent()) {
      throw new IllegalArgumentException("set " + s.fullName("password") + " or " + s.fullName("password-env") + ", not both");
    }
    if (env.isPresent()) {
      String value = System.getenv(env.get());
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(s.fullName("password-env") + " names an unset environment variable: " + env.get());
      }
      password = Optional.of(value);
    }
    password.ifPresent(p -> b.credentials(s.get("username", ""), p.toCharArray()));
    s.get("prefix").ifPresent(b::keyPrefix);
    s.get("failure-mode").ifPresent(m -> b.failureMode(RedisCoordination.parseMode(s.fullName("failure-mode"), m)));
    b.commandTimeout(s.getDuration("command-timeout", RedisCoordination.DEFAULT_COMMAND_TIMEOUT))
        .connectTimeout(s.getDuration("connect-timeout", RedisCoordination.DEFAULT_CONNECT_TIMEOUT))
        .probeInterval(s.getDuration("probe-interval", RedisCoordination.DEFAULT_PROBE_INTERVAL))
        .bucketGrace(s.getDuration("bucket-grace", RedisCoordination.DEFAULT_BUCKET_GRACE))
        .instances(s.getInt("instances", 1))
        .maxTracked(s.getInt("max-tracked", RedisCoordination.DEFAULT_MAX_TRACKED));
    return b.build();
  }

  /** {@code f2p.rate-limiter.type=redis}. */
  public static final class AsRateLimiter implements RateLimiterProvider {
    @Override
    public String name() {
      return "redis";
    }

    @Override
    public Set<String> settingNames(PolicySettings settings) {
      Set<String> names = new HashSet<>(SETTINGS);
      names.addAll(TokenBucketRateLimiterProvider.LIMIT_SETTINGS);
      return names;
    }

    @Override
    public RateLimiter create(PolicySettings settings) {
      RedisCoordination redis = shared(settings);
      RedisRateLimiter limiter = (RedisRateLimiter) redis.rateLimiter(
          b -> TokenBucketRateLimiterProvider.configureLimits(settings, b));
      return limiter.owningCoordination();
    }
  }

  /** {@code f2p.authenticator.lockout.store=redis}. */
  public static final class AsLockoutStore implements LockoutStoreProvider {
    @Override
    public String name() {
      return "redis";
    }

    @Override
    public Set<String> settingNames(PolicySettings settings) {
      return SETTINGS;
    }

    @Override
    public LockoutStore create(PolicySettings settings, LockoutPolicy policy) {
      return shared(settings).lockoutStore(policy);
    }
  }

  /** {@code f2p.authorizer.incident.store=redis}. */
  public static final class AsIncidentStore implements IncidentStoreProvider {
    @Override
    public String name() {
      return "redis";
    }

    @Override
    public Set<String> settingNames(PolicySettings settings) {
      return SETTINGS;
    }

    @Override
    public IncidentStore create(PolicySettings settings) {
      RedisCoordination redis = shared(settings);
      return new OwningIncidentStore(redis.incidentStore(), redis);
    }
  }

  /** The shared incident store, closing the coordination with it: the client owns both. */
  private record OwningIncidentStore(IncidentStore store, RedisCoordination owner) implements IncidentStore {
    @Override
    public Optional<Instant> restrictedUntil(IncidentTarget target, String subject, Instant now) {
      return store.restrictedUntil(target, subject, now);
    }

    @Override
    public LockdownMode lockdown() {
      return store.lockdown();
    }

    @Override
    public void apply(IncidentChange change) {
      store.apply(change);
    }

    @Override
    public void addChangeListener(Consumer<IncidentChange> listener) {
      store.addChangeListener(listener);
    }

    @Override
    public void close() {
      owner.close();
    }
  }
}
