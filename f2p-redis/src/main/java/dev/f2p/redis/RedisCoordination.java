package dev.f2p.redis;

import dev.f2p.core.internal.BuilderOptions;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
import dev.f2p.security.auth.LockoutPolicy;
import dev.f2p.security.auth.LockoutStore;
import dev.f2p.security.incident.IncidentStore;
import dev.f2p.security.ratelimit.BucketStore;
import dev.f2p.security.ratelimit.TokenBucketRateLimiter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Rate limits, lockout counters and incident state shared by every instance of a host through one Redis:
 * the entry point of {@code f2p-redis}. Build one per instance, hand its parts to the client, close it
 * when the instance stops:
 *
 * <pre>{@code
 * RedisCoordination redis = RedisCoordination.builder()
 *     .uri("rediss://redis.internal:6380").credentials("f2p", password)
 *     .failureMode(FailureMode.LOCAL_FALLBACK).instances(4)
 *     .build();
 * ImageEditClient client = ImageEditClient.builder()
 *     .rateLimiter(redis.rateLimiter(limits -> limits.defaultLimits("10/minute")))
 *     ...
 * }</pre>
 *
 * <p>Every Redis call has a deadline ({@link Builder#commandTimeout}); commands are refused at once while
 * a connection is down, and connections come back by themselves. The first failure turns the shared
 * state <em>unavailable</em>: one {@code CRITICAL} event (detail {@code SHARED_STATE_UNAVAILABLE}), and
 * the {@link FailureMode} decides what every part does until a probe finds Redis again (one {@code INFO}
 * event, {@code SHARED_STATE_RESTORED}); no restart is needed. Events go to the publisher attached with
 * {@link #attach}; an {@code ImageEditClient} attaches its own when it is given this coordination's rate
 * limiter.
 *
 * <p>Keys live under the {@linkplain Builder#keyPrefix prefix} ({@value #DEFAULT_KEY_PREFIX} by default),
 * each named by a hash of its subject: no address, principal, key id and never an API key appears in
 * Redis. Buckets expire once idle long enough to be full again; lockout counters once they can no longer
 * lock; restrictions when they end.
 *
 * <p>Thread-safe; one instance serves all threads and all clients of a process.
 */
public final class RedisCoordination implements SecurityEventSource, AutoCloseable {
  /** Default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "f2p:";
  /** Default deadline of one Redis command: well above a loopback or LAN round trip, short for a request. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(250);
  /** Default deadline for opening a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  /** Default interval between probes while Redis is unavailable. */
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);
  /** Default time an idle bucket is kept after it would be full again. */
  public static final Duration DEFAULT_BUCKET_GRACE = Duration.ofSeconds(10);
  /** Default cap on callers tracked by the local fallback, and on incident restrictions held. */
  public static final int DEFAULT_MAX_TRACKED = 100_000;

  private static final Pattern PREFIX = Pattern.compile("[\\x21-\\x7E]{1,64}");
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

  private final Settings settings;
  private final Keys keys;
  private final ClientResources resources;
  private final RedisClient client;
  private final ScheduledExecutorService scheduler;
  private final SharedStateHealth health;
  private final StatefulRedisConnection<String, byte[]> bucketConnection;
  private final StatefulRedisConnection<String, String> commands;
  private final BucketStore bucketStore;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable RedisIncidentStore incidentStore;

  /** The validated settings; immutable. */
  record Settings(RedisURI uri, String keyPrefix, Duration commandTimeout, Duration connectTimeout,
      FailureMode failureMode, int instances, Duration probeInterval, Duration bucketGrace, int maxTracked) {}

  private RedisCoordination(Settings s) {
    this.settings = s;
    this.keys = new Keys(s.keyPrefix());
    this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
        // Reconnect quickly: the probe cannot report Redis back before the connections are.
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), s.probeInterval(), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, s.uri());
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(s.commandTimeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(s.connectTimeout()).keepAlive(true).build())
        .build());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "f2p-redis-probe");
      t.setDaemon(true);
      return t;
    });
    this.health = new SharedStateHealth(scheduler, s.probeInterval(), this::probe, s.failureMode());
    try {
      this.bucketConnection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      this.commands = client.connect(StringCodec.UTF8);
    } catch (RuntimeException e) {
      shutdown();
      throw new IllegalStateException("cannot connect to Redis at " + redacted(s.uri()) + ": " + e.getMessage(), e);
    }
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (!closed.get()) {
          // A message may have been missed on any connection: treat as down until the probe reloads.
          health.failed("connection lost", new IllegalStateException("disconnected"));
        }
      }
    });
    ProxyManager<String> proxies = Bucket4jLettuce.casBasedBuilder(bucketConnection)
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(s.bucketGrace()))
        .requestTimeout(s.commandTimeout())
        .build();
    // Asynchronous too: the limiter then asks a request's address and principal buckets at once.
    // A compare-and-swap is two commands (read, then conditional write), each with the command deadline.
    this.bucketStore = BucketStore.of(proxies.withMapper(keys::bucket), s.commandTimeout().multipliedBy(2));
  }

  /**
   * A builder; {@link Builder#uri} is required.
   *
   * @return a new builder with every option unset
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The shared token buckets, without failure handling: a Bucket4j call on a bucket from this store
   * throws when Redis cannot be reached, so it is not API: hosts use {@link #rateLimiter}, which applies
   * the failure mode; tests look at the store here. Its buckets are offered
   * {@linkplain BucketStore#async() asynchronously} too, each answer awaited at most twice the command
   * timeout (a read and a conditional write).
   */
  BucketStore bucketStore() {
    return bucketStore;
  }

  /**
   * A rate limiter on the shared buckets that applies the failure mode. {@code limits} sets the limits
   * on a {@link TokenBucketRateLimiter.Builder} (it must not set a store); it is called twice, once for
   * the shared limiter and once for the local fallback, which gets each instance's share of the same
   * limits. The limiter is a {@link SecurityEventSource}: a client it is given to attaches its publisher
   * here. Closing it does not close this coordination.
   *
   * @param limits sets the limits on a builder; called twice, so it must set the same limits each time.
   *     What the builder throws on invalid limits reaches the caller of this method.
   * @return a new rate limiter; each call makes another one on the same shared buckets
   */
  public RateLimiter rateLimiter(Consumer<TokenBucketRateLimiter.Builder> limits) {
    Objects.requireNonNull(limits, "limits");
    TokenBucketRateLimiter.Builder shared = TokenBucketRateLimiter.builder().store(bucketStore);
    limits.accept(shared);
    TokenBucketRateLimiter.Builder local = TokenBucketRateLimiter.builder()
        .store(new ShareOfLimitsStore(settings.instances(), settings.maxTracked(), settings.bucketGrace()));
    limits.accept(local);
    return new RedisRateLimiter(this, shared.build(), local.build());
  }

  /**
   * Lockout counters shared by every instance, for {@code ApiKeyAuthenticator.Builder.lockoutStore};
   * each counter expires after the policy's window plus its longest lockout.
   *
   * @param policy the lockout policy of the authenticator that will use the store: its window and
   *     longest lockout set the counters' expiry, so it must be the same policy
   * @return a new lockout store on the shared counters; it applies the failure mode
   */
  public LockoutStore lockoutStore(LockoutPolicy policy) {
    return new RedisLockoutStore(commands, keys, health, policy, settings.maxTracked());
  }

  /**
   * The incident state (revocations, suspensions, blocks, lockdown) shared by every instance: one per
   * coordination, for {@code IncidentControl.Builder.store}. Reads are served from a local snapshot kept
   * current through Redis pub/sub, so they cost no round trip. Closing it does not close this
   * coordination.
   *
   * @return the shared incident store, made on the first call and the same instance afterwards
   */
  public synchronized IncidentStore incidentStore() {
    if (incidentStore == null) {
      incidentStore = new RedisIncidentStore(client, commands, keys, health, settings.maxTracked());
    }
    return incidentStore;
  }

  /**
   * Whether the shared state is in use now.
   *
   * @return true while Redis answers; false from the first failure until a probe finds it again, the
   *     time during which the {@linkplain #failureMode() failure mode} applies
   */
  public boolean isSharedStateAvailable() {
    return health.isUp();
  }

  /**
   * The failure mode this coordination applies while Redis cannot be reached.
   *
   * @return the configured failure mode; {@link FailureMode#FAIL_CLOSED} unless the builder set another
   */
  public FailureMode failureMode() {
    return settings.failureMode();
  }

  @Override
  public void attach(SecurityEventPublisher publisher) {
    health.attach(publisher);
  }

  SharedStateHealth health() {
    return health;
  }

  Settings settings() {
    return settings;
  }

  private boolean probe() {
    if (!bucketConnection.isOpen() || !commands.isOpen()) {
      return false;
    }
    RedisIncidentStore incidents = incidentStore;
    if (incidents != null && !incidents.isSubscribed()) {
      return false;
    }
    return "PONG".equals(commands.sync().ping());
  }

  /** Closes the connections and the client. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      shutdown();
    }
  }

  private void shutdown() {
    closed.set(true);
    scheduler.shutdownNow();
    RedisIncidentStore incidents = incidentStore;
    if (incidents != null) {
      incidents.shutdown();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** The URI without its password, for messages. */
  static String redacted(RedisURI uri) {
    return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
  }

  /**
   * Builds a {@link RedisCoordination}; it connects in {@link #build()} and fails there if Redis cannot be
   * reached. Each option may be set once. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String uri;
    private @Nullable String username;
    private char @Nullable [] password;
    private @Nullable String keyPrefix;
    private @Nullable Duration commandTimeout;
    private @Nullable Duration connectTimeout;
    private @Nullable FailureMode failureMode;
    private @Nullable Integer instances;
    private @Nullable Duration probeInterval;
    private @Nullable Duration bucketGrace;
    private @Nullable Integer maxTracked;

    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * Where Redis is: {@code redis://host:port[/db]}, or {@code rediss://} for TLS (the server's
     * certificate is verified against the JVM's trust store). The URI may carry {@code user:password@};
     * prefer {@link #credentials} to keep the password out of configuration strings. Required.
     *
     * @param uri the Redis URI; surrounding white space is ignored
     * @return this builder
     * @throws IllegalArgumentException when it is not a URI, or its scheme is neither {@code redis} nor
     *     {@code rediss}; the message never repeats the URI, which may hold a password
     * @throws IllegalStateException when the URI was already set
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      options.once("uri");
      String scheme;
      try {
        scheme = new URI(uri.trim()).getScheme();
      } catch (URISyntaxException e) {
        // The reason and index only: the input may hold a password, and neither message nor cause repeats it.
        throw new IllegalArgumentException("uri is not a URI: " + e.getReason() + " at index " + e.getIndex());
      }
      if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
        throw new IllegalArgumentException("uri must start with redis:// or rediss://: " + scheme + "://...");
      }
      this.uri = uri.trim();
      return this;
    }

    /**
     * An ACL user and its password (Redis 6+): the password replaces any in the URI, a non-empty user
     * any user in it. The password is copied: the caller may clear its array afterwards.
     *
     * @param username the ACL user; empty for the default user
     * @param password the user's password
     * @return this builder
     * @throws IllegalStateException when the credentials were already set
     */
    public Builder credentials(String username, char[] password) {
      options.once("credentials");
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * Prefix of every key and channel; default {@value #DEFAULT_KEY_PREFIX}. Instances that share state
     * must use the same prefix; hosts that share one Redis but not their state, different ones.
     *
     * @param keyPrefix 1 to 64 printable ASCII characters without spaces
     * @return this builder
     * @throws IllegalArgumentException when the prefix is empty, longer than 64 or not printable ASCII
     * @throws IllegalStateException when the prefix was already set
     */
    public Builder keyPrefix(String keyPrefix) {
      options.once("keyPrefix");
      if (!PREFIX.matcher(Objects.requireNonNull(keyPrefix, "keyPrefix")).matches()) {
        throw new IllegalArgumentException("keyPrefix must be 1 to 64 printable characters without spaces: " + keyPrefix);
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Deadline of one command; default {@link #DEFAULT_COMMAND_TIMEOUT}. A command past it counts as a
     * failure of Redis.
     *
     * @param commandTimeout 1 ms to 1 min
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when already set
     */
    public Builder commandTimeout(Duration commandTimeout) {
      options.once("commandTimeout");
      this.commandTimeout = checkDuration("commandTimeout", commandTimeout);
      return this;
    }

    /**
     * Deadline for opening a connection, in {@link #build()} and on each reconnect; default
     * {@link #DEFAULT_CONNECT_TIMEOUT}.
     *
     * @param connectTimeout 1 ms to 1 min
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when already set
     */
    public Builder connectTimeout(Duration connectTimeout) {
      options.once("connectTimeout");
      this.connectTimeout = checkDuration("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * What to do while Redis cannot be reached; default {@link FailureMode#FAIL_CLOSED}.
     *
     * @param failureMode the failure mode
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder failureMode(FailureMode failureMode) {
      options.once("failureMode");
      this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
      return this;
    }

    /**
     * How many instances share the limits: with {@link FailureMode#LOCAL_FALLBACK} each applies
     * {@code limit / instances} (at least 1) alone while Redis is away. Default 1.
     *
     * @param instances 1 to 10,000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when already set
     */
    public Builder instances(int instances) {
      options.once("instances");
      if (instances < 1 || instances > 10_000) {
        throw new IllegalArgumentException("instances must be 1 to 10000: " + instances);
      }
      this.instances = instances;
      return this;
    }

    /**
     * How often an unavailable Redis is probed; default {@link #DEFAULT_PROBE_INTERVAL}. It bounds how
     * long the failure mode outlasts an outage.
     *
     * @param probeInterval 1 ms to 1 min
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when already set
     */
    public Builder probeInterval(Duration probeInterval) {
      options.once("probeInterval");
      this.probeInterval = checkDuration("probeInterval", probeInterval);
      return this;
    }

    /**
     * How long an idle bucket is kept after it would be full again (its TTL in Redis is the time to
     * refill plus this); default {@link #DEFAULT_BUCKET_GRACE}.
     *
     * @param bucketGrace 1 ms to 1 min
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when already set
     */
    public Builder bucketGrace(Duration bucketGrace) {
      options.once("bucketGrace");
      this.bucketGrace = checkDuration("bucketGrace", bucketGrace);
      return this;
    }

    /**
     * Callers tracked by the local fallback, and incident restrictions held; default
     * {@value #DEFAULT_MAX_TRACKED}. It bounds the memory an outage or a flood of restrictions can take.
     *
     * @param maxTracked at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     * @throws IllegalStateException when already set
     */
    public Builder maxTracked(int maxTracked) {
      options.once("maxTracked");
      if (maxTracked < 1) {
        throw new IllegalArgumentException("maxTracked must be at least 1: " + maxTracked);
      }
      this.maxTracked = maxTracked;
      return this;
    }

    /**
     * Connects and builds; blocks while it connects, each attempt bounded by the connect timeout.
     *
     * @return a connected coordination, which the caller must {@linkplain RedisCoordination#close() close}
     * @throws IllegalStateException when no URI was set, or when Redis cannot be reached; the message
     *     names the URI without its password
     * @throws IllegalArgumentException when the URI does not parse as a Redis URI; the message has its
     *     user info blanked out
     */
    public RedisCoordination build() {
      if (uri == null) {
        throw new IllegalStateException("RedisCoordination needs a uri (redis://host:port or rediss://host:port)");
      }
      RedisURI parsed;
      try {
        parsed = RedisURI.create(uri);
      } catch (IllegalArgumentException e) {
        // Lettuce's message may quote the URI, password and all: blank out the user info, drop the cause.
        String userInfo = URI.create(uri).getRawUserInfo();
        String reason = String.valueOf(e.getMessage());
        throw new IllegalArgumentException("uri is not a Redis URI: "
            + (userInfo == null || userInfo.isEmpty() ? reason : reason.replace(userInfo, "***")));
      }
      if (password != null) {
        if (username != null && !username.isEmpty()) { // set together with the password
          parsed.setUsername(username);
        }
        parsed.setPassword(password);
      }
      Duration command = Optional.ofNullable(commandTimeout).orElse(DEFAULT_COMMAND_TIMEOUT);
      Duration connect = Optional.ofNullable(connectTimeout).orElse(DEFAULT_CONNECT_TIMEOUT);
      // The URI's timeout bounds the connection handshake (and the sync API's wait); commands get their
      // own, shorter deadline from TimeoutOptions.
      parsed.setTimeout(connect.compareTo(command) > 0 ? connect : command);
      return new RedisCoordination(new Settings(parsed, Optional.ofNullable(keyPrefix).orElse(DEFAULT_KEY_PREFIX),
          command, connect,
          Optional.ofNullable(failureMode).orElse(FailureMode.FAIL_CLOSED), Optional.ofNullable(instances).orElse(1),
          Optional.ofNullable(probeInterval).orElse(DEFAULT_PROBE_INTERVAL),
          Optional.ofNullable(bucketGrace).orElse(DEFAULT_BUCKET_GRACE),
          Optional.ofNullable(maxTracked).orElse(DEFAULT_MAX_TRACKED)));
    }

    private static Duration checkDuration(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.toMillis() < 1 || d.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(name + " must be 1ms to 1min: " + d);
      }
      return d;
    }

  }

  /** Parses a failure mode setting: {@code fail-closed} or {@code local-fallback}. */
  static FailureMode parseMode(String setting, String value) {
    try {
      return FailureMode.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + " must be fail-closed or local-fallback: " + value, e);
    }
  }
}
