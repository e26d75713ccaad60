package dev.f2p.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.security.auth.LockoutState;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisCoordinationTest {
  @RegisterExtension
  static final RedisServerExtension SERVER = new RedisServerExtension();


  static Stream<Arguments> badOptions() {
    return Stream.of(
        Arguments.of("uri scheme", (Consumer<RedisCoordination.Builder>) b -> b.uri("http://localhost:6379"), "redis://"),
        Arguments.of("prefix with space", (Consumer<RedisCoordination.Builder>) b -> b.keyPrefix("f2p :"), "keyPrefix"),
        Arguments.of("zero timeout", (Consumer<RedisCoordination.Builder>) b -> b.commandTimeout(Duration.ZERO), "commandTimeout"),
        Arguments.of("huge timeout", (Consumer<RedisCoordination.Builder>) b -> b.connectTimeout(Duration.ofHours(1)), "connectTimeout"),
        Arguments.of("no instances", (Consumer<RedisCoordination.Builder>) b -> b.instances(0), "instances"),
        Arguments.of("set twice", (Consumer<RedisCoordination.Builder>) b -> b.keyPrefix("a:").keyPrefix("b:"), "already set"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badOptions")
  void badOptionsFailWithTheValueInTheMessage(String name, Consumer<RedisCoordination.Builder> option, String message) {
    assertThatThrownBy(() -> option.accept(RedisCoordination.builder())).hasMessageContaining(message);
  }

  /** A typo in a configured URI must not put its password into a log through an exception message. */
  @ParameterizedTest
  @ValueSource(strings = {"redis://f2p:s3cret-password@redis host:6379", "redis://f2p:s3cret-password@redis:63 79",
      "rediss://f2p:s3cret-password@[::1:6379", "redis://f2p:s3cret-password@redis:99999"})
  void aMalformedUriIsRefusedWithoutRepeatingItsPassword(String uri) {
    Throwable thrown = catchThrowable(() -> RedisCoordination.builder().uri(uri)
        .connectTimeout(Duration.ofMillis(200)).build().close());
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret-password");
    }
  }

  @Test
  void aMissingUriOrAnUnreachableServerFailsTheBuildWithoutThePassword() {
    assertThatThrownBy(() -> RedisCoordination.builder().build()).hasMessageContaining("needs a uri");
    assertThatThrownBy(() -> RedisCoordination.builder().uri("redis://127.0.0.1:1")
        .credentials("f2p", "s3cret-password".toCharArray()).connectTimeout(Duration.ofMillis(500)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis://127.0.0.1:1")
        .hasMessageNotContaining("s3cret-password");
  }

  @Test
  void bothBucketsAskedAtOnceKeepTheOutcomeRulesAndGiveRefusedTokensBack() {
    try (RedisCoordination redis = RedisCoordination.builder().uri(SERVER.uri()).keyPrefix("refund-test:")
        .commandTimeout(Duration.ofSeconds(5)).build()) {
      assertThat(redis.bucketStore().async()).as("Redis buckets are asked asynchronously").isPresent();
      RateLimiter limiter = redis.rateLimiter(b -> b.defaultLimits("2/hour").addressLimits("3/hour"));
      Principal ann = new Principal("ann", Set.of(Role.USER), "f2p_kid_ann");
      Principal ben = new Principal("ben", Set.of(Role.USER), "f2p_kid_ben");
      assertThat(limiter.tryAcquire(ann, "203.0.113.60").isAllowed()).isTrue();
      assertThat(limiter.tryAcquire(ann, "203.0.113.60").isAllowed()).isTrue();
      // The key refuses: the address keeps its third token.
      assertThat(limiter.tryAcquire(ann, "203.0.113.60").toString()).contains("KEY_QUOTA");
      assertThat(limiter.tryAcquire(ben, "203.0.113.60").isAllowed()).isTrue();
      // The address refuses (and is the refusal reported): ben keeps his second token.
      assertThat(limiter.tryAcquire(ben, "203.0.113.60").toString()).contains("ADDRESS_QUOTA");
      assertThat(limiter.tryAcquire(ben, "203.0.113.61").isAllowed()).isTrue();
      assertThat(limiter.tryAcquire(ben, "203.0.113.62").toString()).contains("KEY_QUOTA");
    }
  }

  @Test
  void idleBucketsExpireOnceTheyWouldBeFullAgain() throws Exception {
    try (RedisCoordination redis = RedisCoordination.builder().uri(SERVER.uri()).keyPrefix("ttl-test:")
        .commandTimeout(Duration.ofSeconds(5)).bucketGrace(Duration.ofMillis(100)).build();
        RedisInspector inspector = new RedisInspector(SERVER.uri())) {
      var c = inspector.connection();
      // Refill times long enough that both keys still exist when listed on a loaded machine, short enough to wait out.
      RateLimiter limiter = redis.rateLimiter(b -> b.defaultLimits("5/3s").addressLimits("50/4s"));
      Principal bob = new Principal("bob", Set.of(Role.USER), "f2p_kid_bob");
      assertThat(limiter.tryAcquire(bob, "203.0.113.50").isAllowed()).isTrue();
      List<String> keys = c.sync().keys("ttl-test:rl:*");
      assertThat(keys).hasSize(2);
      for (String key : keys) {
        // At most the refill time (3 s or 4 s) plus the grace.
        assertThat(c.sync().pttl(key)).isBetween(1L, 4_100L);
      }
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (!c.sync().keys("ttl-test:rl:*").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(c.sync().keys("ttl-test:rl:*")).as("idle buckets cost nothing").isEmpty();
    }
  }

  @Test
  void theFallbackShareIsTheLimitDividedByTheInstancesAndNeverZero() {
    BucketConfiguration config = BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(10).refillGreedy(10, Duration.ofMinutes(1)).build())
        .addLimit(Bandwidth.builder().capacity(3).refillIntervally(3, Duration.ofSeconds(1)).build())
        .build();
    Bandwidth[] share = ShareOfLimitsStore.share(config, 4).getBandwidths();
    assertThat(share[0].getCapacity()).isEqualTo(2);
    assertThat(share[0].getRefillTokens()).isEqualTo(2);
    assertThat(share[0].getRefillPeriodNanos()).isEqualTo(Duration.ofMinutes(1).toNanos());
    assertThat(share[0].isRefillIntervally()).isFalse();
    assertThat(share[1].getCapacity()).isEqualTo(1);
    assertThat(share[1].isRefillIntervally()).isTrue();
  }

  @Test
  void lockoutStatesRoundTripThroughTheirCompactEncoding() {
    LockoutState s = new LockoutState(7, 2, 1_700_000_000_123L, 1_700_000_060_123L);
    assertThat(RedisLockoutStore.decode(RedisLockoutStore.encode(s))).isEqualTo(s);
    assertThat(RedisLockoutStore.encode(LockoutState.NONE)).isEmpty();
    assertThat(RedisLockoutStore.decode(null)).isEqualTo(LockoutState.NONE);
    assertThatThrownBy(() -> RedisLockoutStore.decode("1:2:3")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keyNamesAreBoundedHashesUnderThePrefix() {
    Keys keys = new Keys("f2p:");
    String hostile = "a:" + "x".repeat(10_000) + "\r\nFLUSHALL";
    assertThat(keys.bucket(hostile)).matches("f2p:rl:[A-Za-z0-9_-]{22}");
    assertThat(keys.lockout("k:f2p_kid")).matches("f2p:lo:[A-Za-z0-9_-]{22}");
    assertThat(keys.bucket("p:alice")).isNotEqualTo(keys.bucket("a:alice"));
  }

  @Test
  void providersShareOneCoordinationPerClientAndRefuseTwoDifferentConfigurations() {
    Map<String, String> values = new HashMap<>();
    values.put("f2p.redis.uri", SERVER.uri());
    values.put("f2p.rate-limiter.limits.default", "3/minute");
    values.put("f2p.authenticator.redis.uri", SERVER.uri());
    values.put("f2p.authorizer.incident.redis.uri", "redis://127.0.0.1:1");
    PolicySettings all = PolicySettings.of(values).scope("f2p");
    RedisCoordination first = RedisProviders.shared(all.scope("rate-limiter"));
    try {
      assertThat(RedisProviders.shared(all.scope("authenticator"))).as("the same settings").isSameAs(first);
      assertThat(RedisProviders.shared(all.scope("listener.incident"))).as("the common scope").isSameAs(first);
      assertThatThrownBy(() -> RedisProviders.shared(all.scope("authorizer.incident")))
          .hasMessageContaining("two places");
    } finally {
      first.close();
    }
  }

  @Test
  void theFailureModeSettingIsParsedWithItsNameInErrors() {
    assertThat(RedisCoordination.parseMode("x", "local-fallback")).isEqualTo(FailureMode.LOCAL_FALLBACK);
    assertThat(RedisCoordination.parseMode("x", "FAIL_CLOSED")).isEqualTo(FailureMode.FAIL_CLOSED);
    assertThatThrownBy(() -> RedisCoordination.parseMode("f2p.rate-limiter.redis.failure-mode", "open"))
        .hasMessageContaining("f2p.rate-limiter.redis.failure-mode").hasMessageContaining("open");
  }
}
