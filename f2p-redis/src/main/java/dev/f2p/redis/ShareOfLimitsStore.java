package dev.f2p.redis;

import dev.f2p.security.ratelimit.BucketStore;
import dev.f2p.security.ratelimit.LocalBucketStore;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local fallback's buckets: each limit cut to this instance's share ({@code limit / instances}, at
 * least 1 token and 1 token per refill), in a bounded {@link LocalBucketStore}. Together the instances
 * then admit no more than the shared limit would. Thread-safe.
 */
final class ShareOfLimitsStore implements BucketStore {
  /** Plans are few and fixed per limiter; the cap only guards against a misbehaving caller. */
  private static final int MAX_CONFIGURATIONS = 1_000;

  private final int instances;
  private final LocalBucketStore local;
  private final Map<BucketConfiguration, BucketConfiguration> shares = new ConcurrentHashMap<>();

  ShareOfLimitsStore(int instances, int maxTracked, Duration grace) {
    this.instances = instances;
    this.local = LocalBucketStore.builder().maxTracked(maxTracked).idleExpiry(Duration.ofDays(1).plus(grace)).build();
  }

  @Override
  public Bucket bucket(String key, BucketConfiguration configuration) {
    BucketConfiguration share = shares.get(configuration);
    if (share == null) {
      share = share(configuration, instances);
      if (shares.size() < MAX_CONFIGURATIONS) {
        shares.put(configuration, share);
      }
    }
    return local.bucket(key, share);
  }

  static BucketConfiguration share(BucketConfiguration configuration, int instances) {
    List<Bandwidth> out = new ArrayList<>();
    for (Bandwidth b : configuration.getBandwidths()) {
      long capacity = Math.max(1, b.getCapacity() / instances);
      long refill = Math.max(1, b.getRefillTokens() / instances);
      Duration period = Duration.ofNanos(b.getRefillPeriodNanos());
      var stage = Bandwidth.builder().capacity(capacity);
      out.add(b.isRefillIntervally() ? stage.refillIntervally(refill, period).build()
          : stage.refillGreedy(refill, period).build());
    }
    return new BucketConfiguration(out);
  }
}
