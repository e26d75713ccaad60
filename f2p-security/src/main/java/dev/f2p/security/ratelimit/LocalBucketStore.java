package dev.f2p.security.ratelimit;

import dev.f2p.security.internal.CallerMap;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Buckets in this JVM's memory, bounded and not flushable: principals' buckets and addresses' buckets
 * are kept apart, at most {@link Builder#maxTracked(int) maxTracked} principal keys and
 * {@link Builder#maxTrackedAddresses(int) maxTrackedAddresses} address keys, so no number of addresses
 * crowds out a principal. A bucket is forgotten only once it is full again (then idle for
 * {@link Builder#idleExpiry(Duration) idleExpiry}, or at once when its side is full): forgetting it
 * changes nothing, and no caller ever gets a fresh bucket by making others evict its exhausted one. When
 * a side is full of buckets that are not full, new keys of that side share one overflow bucket (limited
 * together) instead of evicting anyone. About 240 bytes per tracked key (an IPv4 address, one window; see
 * the README), so the defaults hold at most about 48 MB.
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

  private final CallerMap<LocalProxyManager.Entry> principals;
  private final CallerMap<LocalProxyManager.Entry> addresses;
  private final BucketStore proxies;

  private LocalBucketStore(Builder b) {
    this.principals = new CallerMap<>(b.maxTracked, b.idleExpiry, b.clock);
    this.addresses = new CallerMap<>(b.maxTrackedAddresses, b.idleExpiry, b.clock);
    this.proxies = BucketStore.of(new LocalProxyManager(principals, addresses, ClockTimeMeter.of(b.clock)));
  }

  /**
   * A store with the defaults: 100,000 principal and 100,000 address keys, one day's idle expiry, the
   * system clock.
   *
   * @return the store
   */
  public static LocalBucketStore ofDefaults() {
    return builder().build();
  }

  /**
   * A builder holding the defaults; set only what differs.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration configuration) {
    return proxies.bucket(key, configuration);
  }

  /**
   * How many keys have a bucket of their own now, both sides (keys sharing an overflow bucket not
   * counted): a gauge of memory use.
   *
   * @return principal keys plus address keys tracked
   */
  public int trackedKeys() {
    return principals.size() + addresses.size();
  }

  /**
   * How many address keys have a bucket of their own now; at its cap, new addresses share the overflow
   * bucket.
   *
   * @return address keys tracked
   */
  public int trackedAddresses() {
    return addresses.size();
  }

  /** Builds a {@link LocalBucketStore}. Not thread-safe. */
  public static final class Builder {
    private int maxTracked = DEFAULT_MAX_TRACKED;
    private int maxTrackedAddresses = DEFAULT_MAX_TRACKED;
    private Duration idleExpiry = DEFAULT_IDLE_EXPIRY;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The most principal keys with a bucket of their own (more share one overflow bucket); default 100,000.
     *
     * @param maxTracked at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxTracked(int maxTracked) {
      if (maxTracked < 1) {
        throw new IllegalArgumentException("maxTracked must be at least 1: " + maxTracked);
      }
      this.maxTracked = maxTracked;
      return this;
    }

    /**
     * The most address keys with a bucket of their own (more share one overflow bucket); default 100,000.
     *
     * @param maxTrackedAddresses at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxTrackedAddresses(int maxTrackedAddresses) {
      if (maxTrackedAddresses < 1) {
        throw new IllegalArgumentException("maxTrackedAddresses must be at least 1: " + maxTrackedAddresses);
      }
      this.maxTrackedAddresses = maxTrackedAddresses;
      return this;
    }

    /**
     * How long a full, unused bucket is kept (a bucket that is not full is kept until it is); default one
     * day.
     *
     * @param idleExpiry at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException when shorter than 1 ms
     */
    public Builder idleExpiry(Duration idleExpiry) {
      Objects.requireNonNull(idleExpiry, "idleExpiry");
      if (idleExpiry.toMillis() < 1) {
        throw new IllegalArgumentException("idleExpiry must be at least 1ms: " + idleExpiry);
      }
      this.idleExpiry = idleExpiry;
      return this;
    }

    /**
     * The time source for refills and idle expiry; default the system clock. Tests pass one they move by
     * hand.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The store.
     *
     * @return a thread-safe store, empty
     */
    public LocalBucketStore build() {
      return new LocalBucketStore(this);
    }
  }
}
