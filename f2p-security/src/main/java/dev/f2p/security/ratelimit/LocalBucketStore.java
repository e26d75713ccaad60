package dev.f2p.security.ratelimit;

import dev.f2p.security.internal.CallerMap;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Buckets in this JVM's memory, bounded: at most {@link Builder#maxTracked(int) maxTracked} keys, an
 * entry idle for {@link Builder#idleExpiry(Duration) idleExpiry} is dropped, and when the cap is reached
 * the least recently used keys are evicted, so no number of distinct callers grows the heap. An evicted
 * caller comes back with a full bucket; choose an idle expiry at least as long as the longest window so
 * that only full buckets are ever forgotten. About 240 bytes per tracked key (an IPv4 address, one window;
 * see the README).
 *
 * <p>Buckets are Bucket4j {@link io.github.bucket4j.distributed.BucketProxy proxies} over state kept in
 * this JVM, so this store runs the same code path as a distributed one. Thread-safe and exact under
 * concurrency: each key's commands run one at a time.
 */
public final class LocalBucketStore implements BucketStore {
  /** Default cap on tracked keys: about 24 MB of heap. */
  public static final int DEFAULT_MAX_TRACKED = 100_000;
  /** Default idle expiry: one day, the longest usual window. */
  public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofDays(1);

  private final CallerMap<LocalProxyManager.Entry> entries;
  private final BucketStore proxies;

  private LocalBucketStore(Builder b) {
    this.entries = new CallerMap<>(b.maxTracked, b.idleExpiry, b.clock);
    this.proxies = BucketStore.of(new LocalProxyManager(entries, ClockTimeMeter.of(b.clock)));
  }

  /** A store with the defaults. */
  public static LocalBucketStore ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration configuration) {
    return proxies.bucket(key, configuration);
  }

  /** How many keys are tracked now. */
  public int trackedKeys() {
    return entries.size();
  }

  /** Builds a {@link LocalBucketStore}. Not thread-safe. */
  public static final class Builder {
    private int maxTracked = DEFAULT_MAX_TRACKED;
    private Duration idleExpiry = DEFAULT_IDLE_EXPIRY;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The most keys tracked at once; default 100,000. */
    public Builder maxTracked(int maxTracked) {
      if (maxTracked < 1) {
        throw new IllegalArgumentException("maxTracked must be at least 1: " + maxTracked);
      }
      this.maxTracked = maxTracked;
      return this;
    }

    /** How long an unused key is kept; default one day. */
    public Builder idleExpiry(Duration idleExpiry) {
      Objects.requireNonNull(idleExpiry, "idleExpiry");
      if (idleExpiry.toMillis() < 1) {
        throw new IllegalArgumentException("idleExpiry must be at least 1ms: " + idleExpiry);
      }
      this.idleExpiry = idleExpiry;
      return this;
    }

    /** The time source for refills and idle expiry; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public LocalBucketStore build() {
      return new LocalBucketStore(this);
    }
  }
}
