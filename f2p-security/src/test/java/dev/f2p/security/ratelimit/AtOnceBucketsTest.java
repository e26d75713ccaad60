package dev.f2p.security.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.security.internal.CallerMap;
import dev.f2p.testing.TestClock;
import io.github.bucket4j.distributed.proxy.AbstractProxyManager;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store with asynchronous buckets (as a Redis one has): the limiter asks the address's and the
 * principal's bucket at once and must decide exactly as it does asking them in turn.
 */
class AtOnceBucketsTest {
  private static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "aaaaaaaaaaaa");
  private static final Principal BOB = new Principal("bob", Set.of(Role.TRIAL), "bbbbbbbbbbbb");

  private final TestClock clock = new TestClock();
  /** Answers on other threads, as a network client does. */
  private final ExecutorService answers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    answers.shutdownNow();
  }

  /** Local state, answered asynchronously on {@link #answers}; a future never completes when {@code hung}. */
  private BucketStore asyncStore(boolean hung) {
    LocalProxyManager local = new LocalProxyManager(new CallerMap<>(100_000, Duration.ofDays(1), clock), ClockTimeMeter.of(clock));
    var manager = new AbstractProxyManager<String>(ClientSideConfig.getDefault().withClientClock(ClockTimeMeter.of(clock))) {
      @Override
      protected <T> CommandResult<T> execute(String key, Request<T> request) {
        return local.execute(key, request);
      }

      @Override
      protected <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
        return hung ? new CompletableFuture<>() : CompletableFuture.supplyAsync(() -> local.execute(key, request), answers);
      }

      @Override
      protected CompletableFuture<Void> removeAsync(String key) {
        local.removeProxy(key);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void removeProxy(String key) {
        local.removeProxy(key);
      }

      @Override
      public boolean isAsyncModeSupported() {
        return true;
      }
    };
    return BucketStore.of(manager, hung ? Duration.ofMillis(50) : Duration.ofSeconds(30));
  }

  private TokenBucketRateLimiter limiter(BucketStore store, Consumer<TokenBucketRateLimiter.Builder> limits) {
    TokenBucketRateLimiter.Builder b = TokenBucketRateLimiter.builder().store(store);
    limits.accept(b);
    return b.build();
  }

  @Test
  void theLocalStoreStaysSynchronousAndAProxyStoreOffersAsyncOnlyWhenItsManagerDoes() {
    assertThat(LocalBucketStore.ofDefaults().async()).isEmpty();
    assertThat(asyncStore(false).async()).isPresent();
    assertThatThrownBy(() -> BucketStore.of(new LocalProxyManager(new CallerMap<>(1, Duration.ofDays(1), clock),
        ClockTimeMeter.of(clock)), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThat(BucketStore.of(new LocalProxyManager(new CallerMap<>(1, Duration.ofDays(1), clock), ClockTimeMeter.of(clock)),
        Duration.ofSeconds(1)).async()).as("the local manager is not asynchronous").isEmpty();
  }

  @Test
  void atOnceDecidesExactlyAsInTurnRefusalsQuotasAndRefundsIncluded() {
    Consumer<TokenBucketRateLimiter.Builder> limits = b -> b.roleLimits(Role.TRIAL, "2/minute")
        .roleLimits(Role.USER, "4/minute").addressLimits("5/minute");
    TokenBucketRateLimiter inTurn = limiter(LocalBucketStore.builder().clock(clock).build(), limits);
    TokenBucketRateLimiter atOnce = limiter(asyncStore(false), limits);
    List<Decision<Quota>> expected = new ArrayList<>();
    List<Decision<Quota>> actual = new ArrayList<>();
    // Key refusals (BOB after 2) give the address its token back; address refusals (after 5) give the key its.
    String[] addresses = {"192.0.2.1", "192.0.2.1", "192.0.2.1", "192.0.2.2"};
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 12; i++) {
        Principal p = i % 3 == 0 ? BOB : ALICE;
        String address = addresses[i % addresses.length];
        expected.add(inTurn.tryAcquire(p, address));
        actual.add(atOnce.tryAcquire(p, address));
      }
      clock.advance(Duration.ofSeconds(20));
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(expected).anyMatch(d -> d.toString().contains("ADDRESS_QUOTA")).anyMatch(d -> d.toString().contains("KEY_QUOTA"))
        .anyMatch(Decision::isAllowed);
  }

  @Test
  void aRefusalByTheAddressGivesThePrincipalItsTokenBack() {
    TokenBucketRateLimiter limiter = limiter(asyncStore(false), b -> b.roleLimits(Role.TRIAL, "2/minute").addressLimits("1/minute"));
    assertThat(limiter.tryAcquire(BOB, "192.0.2.1").isAllowed()).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire(BOB, "192.0.2.1").toString()).contains("ADDRESS_QUOTA");
    }
    assertThat(limiter.tryAcquire(BOB, "192.0.2.2").isAllowed()).as("the key's second token is still there").isTrue();
    assertThat(limiter.tryAcquire(BOB, "192.0.2.3").toString()).contains("KEY_QUOTA");
  }

  @Test
  void sixteenThreadsOnOneKeyAndAddressAreAdmittedExactlyTheKeysLimit() throws Exception {
    TokenBucketRateLimiter limiter = limiter(asyncStore(false), b -> b.roleLimits(Role.USER, "100/minute").addressLimits("1000/minute"));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger admitted = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 200; i++) {
            admitted.addAndGet(limiter.tryAcquire(ALICE, "10.0.0.1").isAllowed() ? 1 : 0);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(admitted.get()).isEqualTo(100);
      // Every refused request gave its address token back: 900 remain of 1000.
      int more = 0;
      for (int k = 0; k < 1_000; k++) {
        more += limiter.tryAcquire(new Principal("p" + k, Set.of(Role.USER), "k"), "10.0.0.1").isAllowed() ? 1 : 0;
      }
      assertThat(more).isEqualTo(900);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStoreThatNeverAnswersFailsTheDecisionAfterItsTimeoutInsteadOfHanging() {
    TokenBucketRateLimiter limiter = limiter(asyncStore(true), b -> b.addressLimits("10/minute"));
    assertThatThrownBy(() -> limiter.tryAcquire(ALICE, "192.0.2.1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not answer in time");
  }
}
