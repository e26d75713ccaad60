package dev.f2p.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.testing.TestClock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenBucketRateLimiterTest {
  private static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "aaaaaaaaaaaa");
  private static final Principal BOB = new Principal("bob", Set.of(Role.TRIAL), "bbbbbbbbbbbb");

  private final TestClock clock = new TestClock();
  private final LocalBucketStore store = LocalBucketStore.builder().clock(clock).build();

  @Test
  void sixteenThreadsHammeringOneKeyAreAdmittedExactlyCapacityThenExactlyTheRefill() throws Exception {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store)
        .roleLimits(Role.USER, "100/minute").noAddressLimits().build();

    assertThat(hammer(limiter, 16, 1_000)).isEqualTo(100);
    clock.advance(Duration.ofSeconds(30));
    assertThat(hammer(limiter, 16, 1_000)).isEqualTo(50);
    clock.advance(Duration.ofMillis(600));
    assertThat(hammer(limiter, 16, 1_000)).isEqualTo(1);
  }

  @Test
  void severalWindowsApplyAtOnce() {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store)
        .roleLimits(Role.USER, "3/second;5/hour").noAddressLimits().build();
    int admitted = 0;
    for (int second = 0; second < 10; second++) {
      for (int i = 0; i < 10; i++) {
        admitted += limiter.tryAcquire(ALICE, "10.0.0.1").isAllowed() ? 1 : 0;
      }
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(admitted).isEqualTo(5);
  }

  @Test
  void oneAddressCannotSpreadAFloodOverManyKeys() {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store)
        .defaultLimits("1000/minute").addressLimits("10/minute").build();
    int admitted = 0;
    for (int k = 0; k < 50; k++) {
      Principal p = new Principal("p" + k, Set.of(Role.USER), "k" + k);
      admitted += limiter.tryAcquire(p, "192.0.2.7").isAllowed() ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(10);
    // Another address is not affected.
    assertThat(limiter.tryAcquire(ALICE, "192.0.2.8").isAllowed()).isTrue();
  }

  @Test
  void aRefusalByTheKeyDoesNotCostTheAddress() {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store)
        .roleLimits(Role.TRIAL, "1/minute").addressLimits("3/minute").build();
    for (int i = 0; i < 10; i++) {
      limiter.tryAcquire(BOB, "192.0.2.9");
    }
    int admitted = 0;
    for (int k = 0; k < 5; k++) {
      admitted += limiter.tryAcquire(new Principal("c" + k, Set.of(Role.USER), "c"), "192.0.2.9").isAllowed() ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(2);
  }

  @Test
  void aRefusalCarriesRetryAfterAndTheQuotaThatRefused() {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store)
        .roleLimits(Role.TRIAL, "10/minute").noAddressLimits().build();
    for (int i = 0; i < 10; i++) {
      Decision<Quota> d = limiter.tryAcquire(BOB, "10.0.0.1");
      assertThat(((Decision.Allowed<Quota>) d).value().remaining()).isEqualTo(9 - i);
    }
    Decision<Quota> refused = limiter.tryAcquire(BOB, "10.0.0.1");
    var rejection = ((Decision.Rejected<Quota>) refused).rejection();
    assertThat(rejection.reason()).isEqualTo(ReasonCode.RATE_LIMITED);
    assertThat(rejection.httpStatus()).isEqualTo(429);
    assertThat(rejection.retryAfter()).contains(Duration.ofSeconds(6));
    assertThat(rejection.quota()).contains(new Quota("role-trial", 10, Duration.ofMinutes(1), 0, Duration.ofSeconds(6)));
  }

  @Test
  void aPrincipalOverrideBeatsItsRolesAndTheMostGenerousRoleWins() {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store)
        .roleLimits(Role.TRIAL, "1/minute").roleLimits(Role.USER, "5/minute").principalLimits("vip", "7/minute")
        .noAddressLimits().build();
    Principal both = new Principal("both", Set.of(Role.TRIAL, Role.USER), "k");
    Principal vip = new Principal("vip", Set.of(Role.TRIAL), "k");
    assertThat(count(limiter, both, 20)).isEqualTo(5);
    assertThat(count(limiter, vip, 20)).isEqualTo(7);
    assertThat(count(limiter, new Principal("nobody", Set.of(Role.of("OTHER")), "k"), 20)).isEqualTo(10);
  }

  @Test
  void aPrincipalWhoseRoleChangesIsLimitedByItsNewRole() {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store)
        .roleLimits(Role.TRIAL, "1/minute").roleLimits(Role.USER, "5/minute").noAddressLimits().build();
    assertThat(count(limiter, new Principal("dana", Set.of(Role.TRIAL), "k"), 10)).isEqualTo(1);
    assertThat(count(limiter, new Principal("dana", Set.of(Role.USER), "k2"), 10)).isEqualTo(5);
  }

  @Test
  void theProviderReadsLimitsAsPeopleWriteThem() throws Exception {
    var limiter = (TokenBucketRateLimiter) new TokenBucketRateLimiterProvider().create(PolicySettings.of(Map.of(
        "limits.TRIAL", "2/minute", "limits.principal.carol", "4/hour", "address", "none")));
    assertThat(count(limiter, BOB, 10)).isEqualTo(2);
    assertThat(count(limiter, new Principal("carol", Set.of(Role.TRIAL), "k"), 10)).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "/minute", "ten/minute", "10/fortnight", "0/minute", "-1/s", "10/0s"})
  void malformedLimitsFailWithTheValueInTheMessage(String text) {
    assertThatThrownBy(() -> RateLimit.parseAll(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsParse() {
    assertThat(RateLimit.parseAll("100/hour; 1000/day"))
        .containsExactly(new RateLimit(100, Duration.ofHours(1)), new RateLimit(1000, Duration.ofDays(1)));
    assertThat(RateLimit.parse("5/30s")).isEqualTo(new RateLimit(5, Duration.ofSeconds(30)));
  }

  @Test
  void theStoreNeverTracksMoreThanItsCapOnEitherSide() {
    LocalBucketStore small = LocalBucketStore.builder().maxTracked(100).maxTrackedAddresses(100).clock(clock).build();
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(small).build();
    for (int i = 0; i < 10_000; i++) {
      limiter.tryAcquire(new Principal("p" + (i % 500), Set.of(Role.USER), "k"), "198.51." + (i >> 8) + "." + (i & 0xff));
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(small.trackedKeys()).isLessThanOrEqualTo(200);
    assertThat(small.trackedAddresses()).isLessThanOrEqualTo(100);
  }

  /**
   * Issue 18, finding 6: a caller with a second key and many addresses floods the store until the first
   * key's exhausted bucket would be evicted, to use that key afresh. Principal and address buckets are
   * bounded apart and only full buckets are ever forgotten, so the first key stays refused.
   */
  @Test
  void anExhaustedKeyStaysRefusedWhileASecondKeyFloodsFrom200000Addresses() {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(store).defaultLimits("10/hour")
        .roleLimits(Role.TRIAL, "1000000/second").addressLimits("100/minute").build();
    assertThat(count(limiter, ALICE, 20)).isEqualTo(10);
    for (int i = 0; i < 200_000; i++) {
      limiter.tryAcquire(BOB, "2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff) + "::/64");
      if (i % 1000 == 0) {
        clock.advance(Duration.ofMillis(50));
      }
    }
    assertThat(store.trackedAddresses()).isLessThanOrEqualTo(LocalBucketStore.DEFAULT_MAX_TRACKED);
    assertThat(limiter.tryAcquire(ALICE, "192.0.2.1")).isInstanceOfSatisfying(Decision.Rejected.class,
        r -> assertThat(r.rejection().detail()).isEqualTo("KEY_QUOTA"));
  }

  @Test
  void newAddressesBeyondTheCapShareOneOverflowBucketAndEvictNobody() {
    LocalBucketStore small = LocalBucketStore.builder().maxTrackedAddresses(100).clock(clock).build();
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder().store(small).roleLimits(Role.TRIAL, "1000000/second")
        .addressLimits("50/hour").build();
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.tryAcquire(BOB, "198.51.100." + i).isAllowed()).isTrue();
    }
    // Every tracked address has a bucket that is not full: nobody is evicted, the newcomers are limited together.
    int admitted = 0;
    for (int i = 0; i < 1_000; i++) {
      admitted += limiter.tryAcquire(BOB, "203.0." + (i >> 8) + "." + (i & 0xff)).isAllowed() ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(50);
    assertThat(small.trackedAddresses()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.tryAcquire(BOB, "198.51.100." + i).isAllowed()).isTrue();
    }
  }

  private int count(TokenBucketRateLimiter limiter, Principal p, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += limiter.tryAcquire(p, "10.9.9.9").isAllowed() ? 1 : 0;
    }
    return n;
  }

  private static int hammer(TokenBucketRateLimiter limiter, int threads, int perThread) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger admitted = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            if (limiter.tryAcquire(ALICE, "10.0.0.1").isAllowed()) {
              admitted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      return admitted.get();
    } finally {
      pool.shutdownNow();
    }
  }
}
