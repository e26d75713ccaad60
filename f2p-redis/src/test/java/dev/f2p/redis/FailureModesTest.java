package dev.f2p.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.security.auth.LockoutPolicy;
import dev.f2p.security.auth.LockoutStore;
import dev.f2p.security.incident.IncidentChange;
import dev.f2p.security.incident.IncidentStore;
import dev.f2p.security.incident.IncidentTarget;
import dev.f2p.security.incident.LockdownMode;
import dev.f2p.security.ratelimit.TokenBucketRateLimiter;
import dev.f2p.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Redis server is killed (SIGKILL) and restarted under running instances. */
class FailureModesTest {
  private static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "f2p_kid_alice");
  private static final String ADDRESS = "198.51.100.20";
  private RedisServer server;
  private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startRedis() {
    server = RedisServer.start();
  }

  @AfterEach
  void stopRedis() {
    server.close();
  }

  private RedisCoordination coordination(FailureMode mode, int instances) {
    RedisCoordination redis = RedisCoordination.builder().uri(server.uri()).failureMode(mode).instances(instances)
        .commandTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofSeconds(5))
        .probeInterval(Duration.ofMillis(100)).build();
    redis.attach(events::add);
    return redis;
  }

  /** One bucket per request (asked synchronously), or two (asked at once, asynchronously). */
  private static Consumer<TokenBucketRateLimiter.Builder> limits(String buckets) {
    return buckets.equals("principal") ? b -> b.defaultLimits("100/hour").noAddressLimits()
        : b -> b.defaultLimits("100/hour").addressLimits("1000/hour");
  }

  @ParameterizedTest
  @ValueSource(strings = {"principal", "principal+address"})
  void failClosedRefusesWhileRedisIsDownWithOneCriticalEventAndReturnsToSharedStateByItself(String buckets) {
    try (RedisCoordination redis = coordination(FailureMode.FAIL_CLOSED, 1);
        RedisCoordination other = coordination(FailureMode.FAIL_CLOSED, 1)) {
      RateLimiter limiter = redis.rateLimiter(limits(buckets));
      LockoutStore lockouts = redis.lockoutStore(LockoutPolicy.ofDefaults());
      IncidentStore incidents = redis.incidentStore();
      assertThat(limiter.tryAcquire(ALICE, ADDRESS).isAllowed()).isTrue();
      assertThat(incidents.lockdown()).isEqualTo(LockdownMode.OFF);

      server.kill();
      for (int i = 0; i < 20; i++) {
        Decision<Quota> d = limiter.tryAcquire(ALICE, ADDRESS);
        assertThat(d.isAllowed()).isFalse();
        assertThat(rejection(d).reason()).isEqualTo(ReasonCode.OVERLOADED);
        assertThat(rejection(d).detail()).isEqualTo("SHARED_STATE_UNAVAILABLE");
        assertThat(rejection(d).retryAfter()).hasValueSatisfying(r -> assertThat(r).isPositive());
      }
      assertThat(redis.isSharedStateAvailable()).isFalse();
      assertThat(lockouts.get("a:" + ADDRESS).isLockedAt(System.currentTimeMillis())).isTrue();
      assertThat(incidents.lockdown()).isEqualTo(LockdownMode.EVERYONE);
      assertThatThrownBy(() -> incidents.apply(new IncidentChange.Lockdown(LockdownMode.ADMINS_ONLY)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("unavailable");
      // Each coordination learns of the loss on its own (a failed command or Lettuce's disconnect callback,
      // on Lettuce's thread): wait for both, then hold them to exactly one each.
      awaitTrue(() -> critical().size() >= 2);
      assertThat(critical()).as("one CRITICAL event per coordination, however many requests fail").hasSize(2)
          .allSatisfy(e -> assertThat(e.detail()).contains("SHARED_STATE_UNAVAILABLE"));

      server.restart();
      awaitTrue(() -> redis.isSharedStateAvailable() && other.isSharedStateAvailable());
      assertThat(limiter.tryAcquire(ALICE, ADDRESS).isAllowed()).isTrue();
      assertThat(incidents.lockdown()).isEqualTo(LockdownMode.OFF);
      assertThat(lockouts.get("a:" + ADDRESS).isLockedAt(System.currentTimeMillis())).isFalse();
      assertThat(events).filteredOn(e -> e.severity() == Severity.INFO)
          .extracting(e -> e.detail().orElseThrow()).containsExactly("SHARED_STATE_RESTORED", "SHARED_STATE_RESTORED");
      assertThat(critical()).hasSize(2);

      // The subscription came back with the connection: a change on one instance reaches the other.
      other.incidentStore().apply(new IncidentChange.Restrict(IncidentTarget.ADDRESS, ADDRESS, Instant.now().plusSeconds(60)));
      awaitTrue(() -> incidents.restrictedUntil(IncidentTarget.ADDRESS, ADDRESS, Instant.now()).isPresent());
    }
  }

  @Test
  void localFallbackAppliesThisInstancesShareWhileRedisIsDownAndSharedLimitsAfter() {
    try (RedisCoordination redis = coordination(FailureMode.LOCAL_FALLBACK, 4)) {
      RateLimiter limiter = redis.rateLimiter(b -> b.defaultLimits("20/hour").noAddressLimits());
      LockoutPolicy policy = LockoutPolicy.builder().threshold(3).build();
      LockoutStore lockouts = redis.lockoutStore(policy);
      IncidentStore incidents = redis.incidentStore();
      incidents.apply(new IncidentChange.Restrict(IncidentTarget.KEY, "f2p_kid_revoked", Instant.MAX));
      int before = 0;
      for (int i = 0; i < 12; i++) {
        before += limiter.tryAcquire(ALICE, ADDRESS).isAllowed() ? 1 : 0;
      }
      assertThat(before).isEqualTo(12);

      server.kill();
      int during = 0;
      for (int i = 0; i < 20; i++) {
        Decision<Quota> d = limiter.tryAcquire(ALICE, ADDRESS);
        if (d.isAllowed()) {
          during++;
        } else {
          assertThat(rejection(d).reason()).isEqualTo(ReasonCode.RATE_LIMITED);
        }
      }
      assertThat(during).as("this instance's share: 20 / 4").isEqualTo(5);
      awaitTrue(() -> !critical().isEmpty());
      assertThat(critical()).hasSize(1);
      // Lockouts are counted locally; the incident snapshot still applies.
      for (int i = 0; i < 3; i++) {
        lockouts.update("a:" + ADDRESS, s -> policy.onFailure(s, System.currentTimeMillis(), policy.threshold()));
      }
      assertThat(lockouts.get("a:" + ADDRESS).isLockedAt(System.currentTimeMillis())).isTrue();
      assertThat(incidents.restrictedUntil(IncidentTarget.KEY, "f2p_kid_revoked", Instant.now())).contains(Instant.MAX);
      assertThat(incidents.lockdown()).isEqualTo(LockdownMode.OFF);

      server.restart();
      awaitTrue(redis::isSharedStateAvailable);
      // Back on the shared bucket, which Redis kept: 12 of 20 were taken before the outage.
      int after = 0;
      for (int i = 0; i < 20; i++) {
        after += limiter.tryAcquire(ALICE, ADDRESS).isAllowed() ? 1 : 0;
      }
      assertThat(after).isEqualTo(8);
      assertThat(events).extracting(e -> e.detail().orElseThrow())
          .containsExactly("SHARED_STATE_UNAVAILABLE", "SHARED_STATE_RESTORED");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"principal", "principal+address"})
  void aServerThatNeverAnswersCostsOneCommandTimeoutNotAHang(String buckets) throws Exception {
    // A socket that accepts and never replies: what a hung or partitioned Redis looks like.
    try (RedisCoordination redis = coordination(FailureMode.FAIL_CLOSED, 1)) {
      RateLimiter limiter = redis.rateLimiter(limits(buckets));
      Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(serverPid())).start();
      assertThat(stop.waitFor()).isZero();
      try {
        Decision<Quota> d = limiter.tryAcquire(ALICE, ADDRESS);
        assertThat(d.isAllowed()).isFalse();
        assertThat(rejection(d).detail()).isEqualTo("SHARED_STATE_UNAVAILABLE");
        assertThat(critical()).hasSize(1);
      } finally {
        new ProcessBuilder("kill", "-CONT", Long.toString(serverPid())).start().waitFor();
      }
      awaitTrue(redis::isSharedStateAvailable);
      assertThat(limiter.tryAcquire(ALICE, ADDRESS).isAllowed()).isTrue();
    }
  }

  private static dev.f2p.core.Rejection rejection(Decision<Quota> d) {
    return ((Decision.Rejected<Quota>) d).rejection();
  }

  private long serverPid() {
    return server.pid();
  }

  private List<SecurityEvent> critical() {
    return events.stream().filter(e -> e.severity() == Severity.CRITICAL).toList();
  }

  /** Polls {@code condition} until it holds, for at most 20 s (recovery runs on the probe's own thread). */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
