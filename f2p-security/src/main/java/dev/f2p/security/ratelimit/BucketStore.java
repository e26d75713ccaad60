package dev.f2p.security.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.util.Objects;

/**
 * Where token buckets live: the one seam between the rate limiter's logic and its storage. The limiter
 * asks for the bucket of a key ({@code p:<principal>}, {@code a:<address>}) with the configuration it
 * should have and only ever calls Bucket4j's atomic operations on what it gets, so any Bucket4j bucket
 * works: a local one ({@link LocalBucketStore}) or a {@link io.github.bucket4j.distributed.BucketProxy}
 * from any {@link ProxyManager} (Redis, JDBC, Hazelcast; see {@link #of(ProxyManager)}).
 *
 * <p>Implementations must be thread-safe and must bound what they keep per key.
 */
@FunctionalInterface
public interface BucketStore {
  /**
   * The bucket for {@code key}, created with {@code configuration} if it does not exist yet. The limiter
   * never asks for one key under two configurations (a principal's key names its plan), so a store may
   * keep the configuration a bucket was created with.
   */
  Bucket bucket(String key, BucketConfiguration configuration);

  /**
   * A store over a Bucket4j {@link ProxyManager}: state lives wherever that manager keeps it, shared by
   * every instance that uses the same back end.
   */
  static BucketStore of(ProxyManager<String> proxyManager) {
    Objects.requireNonNull(proxyManager, "proxyManager");
    return (key, configuration) -> proxyManager.builder().build(key, () -> configuration);
  }
}
