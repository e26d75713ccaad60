package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.security.guard.StandardResourceGuard;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentControlProvider;
import dev.f2p.security.incident.LockdownMode;
import dev.f2p.testing.TestClients;
import dev.f2p.testing.TestClock;
import java.awt.image.BufferedImage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The breaker, Redis and lockdown indicators read what the guard, the coordination and the incident control say. */
class F2pHealthIndicatorsTest {
  static final TestClock CLOCK = new TestClock();
  static final TestClients.ScriptedEngine ENGINE = new TestClients.ScriptedEngine();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(F2pAutoConfiguration.class))
      .withUserConfiguration(Policies.class);

  /** The test keys and a real standard guard whose breaker opens on the first engine failure. */
  @Configuration(proxyBeanMethods = false)
  @Import(OpenPolicies.class)
  static class Policies {
    @Bean
    TestClients.Keys keys() {
      return new TestClients.Keys();
    }

    @Bean
    ResourceGuard guard() {
      return StandardResourceGuard.builder().breakerFailures(1).breakerCooldown(Duration.ofMinutes(1))
          .ticker(CLOCK).build();
    }

  }

  /** What both actuator tests need besides keys and a guard: no limits, any prompt, any image, a scripted engine. */
  @Configuration(proxyBeanMethods = false)
  static class OpenPolicies {
    @Bean
    RateLimiter rateLimiter() {
      return RateLimiter.unlimited();
    }

    @Bean
    PromptFilter promptFilter() {
      return PromptFilter.acceptAll();
    }

    @Bean
    ImageValidator imageValidator() {
      return (bytes, p) -> Decision.allow(new ValidatedImage(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "PNG"));
    }

    @Bean
    TestClients.ScriptedEngine engine() {
      return ENGINE;
    }
  }

  private static Status status(org.springframework.context.ApplicationContext context, String bean) {
    return context.getBean(bean, HealthIndicator.class).health().getStatus();
  }

  @Test
  void anOpenBreakerTakesTheInstanceOutOfServiceUntilItsProbeIsDue() {
    runner.run(context -> {
      ImageEditClient client = context.getBean(ImageEditClient.class);
      assertThat(status(context, "f2pBreakerHealthIndicator")).isEqualTo(Status.UP);
      ENGINE.behaviour = r -> {
        throw new EngineException(ReasonCode.ENGINE_FAILURE, "the test's engine fails");
      };
      try {
        assertThat(client.edit(TestClients.request(TestClients.ALICE_KEY).build()))
            .isInstanceOf(EditResult.Rejected.class);
      } finally {
        ENGINE.behaviour = TestClients.ScriptedEngine::blank;
      }
      HealthIndicator breaker = context.getBean("f2pBreakerHealthIndicator", HealthIndicator.class);
      assertThat(breaker.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(breaker.health().getDetails()).containsEntry("state", "OPEN");
      assertThat(context.getBean(F2pActuatorConfiguration.F2pEndpoint.class).state()).containsEntry("breaker", "OPEN");
      // The cool-down passed: ready again, so traffic can reach the probe that closes the circuit.
      CLOCK.advance(Duration.ofMinutes(2));
      assertThat(breaker.health().getStatus()).isEqualTo(Status.UP);
      assertThat(breaker.health().getDetails()).containsEntry("state", "PROBE_DUE");
      assertThat(client.edit(TestClients.request(TestClients.ALICE_KEY).build())).isInstanceOf(EditResult.Success.class);
      assertThat(breaker.health().getDetails()).containsEntry("state", "CLOSED");
      // The f2p indicator is unchanged by the breaker: it says the engine and model, not the traffic.
      assertThat(status(context, "f2pHealthIndicator")).isEqualTo(Status.UP);
    });
  }

  @Test
  void aLockdownTakesTheInstanceOutOfServiceAndRedisIsNotInUse() {
    runner.withPropertyValues("f2p.authorizers=roles,incident").run(context -> {
      assertThat(status(context, "f2pLockdownHealthIndicator")).isEqualTo(Status.UP);
      IncidentControl control = context.getBean(F2pSharedObjects.class)
          .find(IncidentControlProvider.SHARED_KEY, IncidentControl.class).orElseThrow();
      control.lockdown(LockdownMode.ADMINS_ONLY);
      HealthIndicator lockdown = context.getBean("f2pLockdownHealthIndicator", HealthIndicator.class);
      assertThat(lockdown.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(lockdown.health().getDetails()).containsEntry("mode", "admins-only");
      control.lockdown(LockdownMode.OFF);
      assertThat(lockdown.health().getStatus()).isEqualTo(Status.UP);
      HealthIndicator redis = context.getBean("f2pRedisHealthIndicator", HealthIndicator.class);
      assertThat(redis.health().getStatus()).isEqualTo(Status.UP);
      assertThat(redis.health().getDetails()).containsEntry("inUse", false);
    });
  }

  @Test
  void aGuardWithoutABreakerReadsNone() {
    runner.withAllowBeanDefinitionOverriding(true).withBean("guard", ResourceGuard.class, () -> ResourceGuard.unguarded(Duration.ofSeconds(1), CLOCK))
        .run(context -> {
          HealthIndicator breaker = context.getBean("f2pBreakerHealthIndicator", HealthIndicator.class);
          assertThat(breaker.health().getStatus()).isEqualTo(Status.UP);
          assertThat(breaker.health().getDetails()).containsEntry("state", "none");
        });
  }
}
