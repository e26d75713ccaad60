package dev.f2p.security.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where token buckets live: the one seam between the rate limiter's logic and its storage. The limiter
 * asks for the bucket of a key ({@code p:<principal>}, {@code a:<address>}) with the configuration it
 * should have and only ever calls Bucket4j's atomic operations on what it gets, so any Bucket4j bucket
 * works: a local one ({@link LocalBucketStore}) or a {@link io.github.bucket4j.distributed.BucketProxy}
 * from any {@link ProxyManager} (Redis, JDBC, Hazelcast; see {@link #of(ProxyManager)}).
 *
 * <p>A store across a network may also offer {@link #async() asynchronous} buckets: the limiter then
 * asks the address's and the principal's bucket at once, one round trip of waiting instead of two.
 *
 * <p>Implementations must be thread-safe and must bound what they keep per key.
 */
@FunctionalInterface
public interface BucketStore {
  /**
   * The bucket for {@code key}, created with {@code configuration} if it does not exist yet. The limiter
   * never asks for one key under two configurations (a principal's key names its plan), so a store may
   * keep the configuration a bucket was created with.
   *
   * @param key {@code p:<principal>} or {@code a:<address>}
   * @param configuration the limits a new bucket gets
   * @return the bucket; the limiter calls only its atomic operations, from any thread
   */
  Bucket bucket(String key, BucketConfiguration configuration);

  /**
   * The same buckets for asynchronous use, where asking two at once beats asking them one after the
   * other; empty, the default, for a store whose buckets answer at once (such as {@link LocalBucketStore}),
   * which the limiter then uses synchronously.
   *
   * @return the asynchronous view of the same buckets, or empty
   */
  default Optional<AsyncBuckets> async() {
    return Optional.empty();
  }

  /**
   * A store over a Bucket4j {@link ProxyManager}: state lives wherever that manager keeps it, shared by
   * every instance that uses the same back end. Synchronous only; see {@link #of(ProxyManager, Duration)}.
   *
   * @param proxyManager the manager, keyed by string
   * @return a store whose buckets are the manager's proxies
   */
  static BucketStore of(ProxyManager<String> proxyManager) {
    Objects.requireNonNull(proxyManager, "proxyManager");
    return (key, configuration) -> proxyManager.builder().build(key, () -> configuration);
  }

  /**
   * A store over a Bucket4j {@link ProxyManager} that also offers its buckets {@link #async()
   * asynchronously} when the manager supports it ({@link ProxyManager#isAsyncModeSupported()}), with
   * {@code timeout} as the longest wait for one asynchronous answer: choose the manager's own request
   * timeout, so that the asynchronous path gives up when the synchronous one would.
   *
   * @param proxyManager the manager, keyed by string
   * @param timeout the longest wait for one asynchronous answer, positive
   * @return a store with {@link #async()} when the manager supports it, a synchronous one otherwise
   * @throws IllegalArgumentException when {@code timeout} is not positive
   */
  static BucketStore of(ProxyManager<String> proxyManager, Duration timeout) {
    Objects.requireNonNull(proxyManager, "proxyManager");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    BucketStore sync = of(proxyManager);
    if (!proxyManager.isAsyncModeSupported()) {
      return sync;
    }
    AsyncProxyManager<String> asyncManager = proxyManager.asAsync();
    Optional<AsyncBuckets> async = Optional.of(new AsyncBuckets() {
      @Override
      public AsyncBucketProxy bucket(String key, BucketConfiguration configuration) {
        return asyncManager.builder().build(key, () -> CompletableFuture.completedFuture(configuration));
      }

      @Override
      public Duration timeout() {
        return timeout;
      }
    });
    return new BucketStore() {
      @Override
      public Bucket bucket(String key, BucketConfiguration configuration) {
        return sync.bucket(key, configuration);
      }

      @Override
      public Optional<AsyncBuckets> async() {
        return async;
      }
    };
  }

  /**
   * A store's buckets for asynchronous use: the same state as its synchronous ones. Thread-safe.
   */
  interface AsyncBuckets {
    /**
     * The asynchronous bucket for {@code key}, as {@link BucketStore#bucket} gives the synchronous one.
     *
     * @param key {@code p:<principal>} or {@code a:<address>}
     * @param configuration the limits a new bucket gets
     * @return the bucket, sharing its state with the synchronous one of the same key
     */
    AsyncBucketProxy bucket(String key, BucketConfiguration configuration);

    /**
     * The longest the limiter waits for one answer of these buckets; past it the decision fails with an
     * exception, as a synchronous call past its deadline does.
     *
     * @return the timeout, positive
     */
    Duration timeout();
  }
}
