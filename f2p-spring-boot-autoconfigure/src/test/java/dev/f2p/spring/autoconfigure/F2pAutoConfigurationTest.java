package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's wiring, without a model: the host's beans fill every slot here. */
class F2pAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(F2pAutoConfiguration.class))
      .withUserConfiguration(HostPolicies.class);

  /** The host's guard and engine beans, beside its checks. */
  @Configuration(proxyBeanMethods = false)
  @org.springframework.context.annotation.Import(HostChecks.class)
  static class HostPolicies {
    @Bean
    ResourceGuard hostResourceGuard() {
      return ResourceGuard.unguarded(Duration.ofSeconds(1), Clock.systemUTC());
    }

    @Bean
    ImageEditEngine hostEngine() {
      return new ImageEditEngine() {
        @Override
        public GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) throws EngineException {
          throw new EngineException(ReasonCode.ENGINE_FAILURE, "the host's engine does not edit in this test");
        }

        @Override
        public String modelId() {
          return "host-model";
        }
      };
    }
  }

  /** The host's own authenticator, rate limiter, prompt filter and image validator beans. */
  @Configuration(proxyBeanMethods = false)
  static class HostChecks {
    @Bean
    Authenticator hostAuthenticator() {
      return (key, address) -> Decision.reject(ReasonCode.UNAUTHENTICATED);
    }

    @Bean
    RateLimiter hostRateLimiter() {
      return RateLimiter.unlimited();
    }

    @Bean
    PromptFilter hostPromptFilter() {
      return PromptFilter.acceptAll();
    }

    @Bean
    ImageValidator hostImageValidator() {
      return (image, principal) -> Decision.reject(ReasonCode.IMAGE_REJECTED);
    }
  }

  @Test
  void hostBeansTakeTheirSlotsAndTheirPropertiesAreIgnored() {
    // djl is not on this class path: had the engine property been used, the client could not be built.
    runner.withPropertyValues("f2p.engine.type=djl", "f2p.engine.bundle=nowhere").run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(ImageEditClient.class);
      assertThat(context.getBean(ImageEditClient.class).modelId()).isEqualTo("host-model");
    });
  }

  @Test
  void theClientIsClosedWhenTheContextCloses() {
    AtomicReference<ImageEditClient> client = new AtomicReference<>();
    runner.run(context -> {
      client.set(context.getBean(ImageEditClient.class));
      assertThat(client.get().isEngineAvailable()).isTrue();
    });
    assertThat(client.get().isEngineAvailable()).isFalse();
  }

  @Test
  void settingsWithoutATypeStopTheApplicationNamingTheProperty() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(F2pAutoConfiguration.class))
        .withPropertyValues("f2p.prompt-filter.max-chars=10").run(context ->
            assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("unknown setting f2p.prompt-filter.max-chars (f2p.prompt-filter.type names no provider)"));
  }

  @Test
  void aMisspeltPropertyStopsTheApplicationNamingTheValidOne() {
    // No typed property has it, so it reaches the library's check, which knows what provenance reads.
    runner.withPropertyValues("f2p.output-policy.type=provenance", "f2p.output-policy.producer=Acme",
        "f2p.output-policy.watermark.enabled=false", "f2p.output-policy.labl.text=x").run(context ->
            assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("unknown setting f2p.output-policy.labl.text; did you mean f2p.output-policy.label.text?"));
  }

  @Test
  void typedPropertiesBuildTheProvidersTheyName() {
    runner.withPropertyValues("f2p.output-policy.type=provenance", "f2p.output-policy.producer=Acme",
        "f2p.output-policy.watermark.enabled=false", "f2p.output-policy.label.corner=top-left").run(context ->
            assertThat(context).hasNotFailed().hasSingleBean(ImageEditClient.class));
  }

  @Test
  void securityMetricsRecordIntoTheApplicationsRegistry() {
    MeterRegistry registry = new SimpleMeterRegistry();
    runner.withBean(MeterRegistry.class, () -> registry).run(context -> {
      ImageEditClient client = context.getBean(ImageEditClient.class);
      client.admit(dev.f2p.core.AdmissionRequest.of("wrong", "192.0.2.1", "r1")).close();
      assertThat(registry.find("f2p.requests").counters()).isNotEmpty();
    });
  }

  @Test
  void everyStageIsAnObservationTaggedWithStageOutcomeAndReasonOnly() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    observations.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }

      @Override
      public void onStop(Observation.Context context) {
        stopped.add(context);
      }
    });
    runner.withBean(ObservationRegistry.class, () -> observations).run(context -> {
      ImageEditClient client = context.getBean(ImageEditClient.class);
      client.admit(dev.f2p.core.AdmissionRequest.of("f2p_live_secretkey_0000", "192.0.2.7", "r-trace")).close();
    });
    TestObservationRegistryAssert.assertThat(observations).hasObservationWithNameEqualTo("f2p.stage").that()
        .hasBeenStarted().hasBeenStopped();
    assertThat(stopped).extracting(Observation.Context::getContextualName)
        .startsWith("f2p request-validation").contains("f2p authentication");
    assertThat(stopped).anySatisfy(c -> {
      assertThat(c.getLowCardinalityKeyValue("f2p.stage").getValue()).isEqualTo("AUTHENTICATION");
      assertThat(c.getLowCardinalityKeyValue("f2p.outcome").getValue()).isEqualTo("REJECTED");
      assertThat(c.getLowCardinalityKeyValue("f2p.reason").getValue()).isEqualTo("UNAUTHENTICATED");
    });
    assertThat(stopped).isNotEmpty().allSatisfy(context -> {
      Set<String> keys = new HashSet<>();
      context.getAllKeyValues().forEach(kv -> {
        keys.add(kv.getKey());
        // Never the key, the address or the request id.
        assertThat(kv.getValue()).doesNotContain("secretkey").doesNotContain("192.0.2.7").doesNotContain("r-trace");
      });
      assertThat(keys).isSubsetOf("f2p.stage", "f2p.outcome", "f2p.reason");
    });
  }

  @Test
  void withoutAnObservationRegistryThereIsNoObserver() {
    runner.run(context -> assertThat(context).doesNotHaveBean(dev.f2p.core.spi.StageObserver.class));
  }

  @Test
  void theFrontRefusesToStartWhenMultipartIsResolvedEagerly() {
    WebApplicationContextRunner web = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(F2pAutoConfiguration.class, F2pWebAutoConfiguration.class))
        .withUserConfiguration(HostPolicies.class);
    web.withPropertyValues("spring.servlet.multipart.resolve-lazily=false").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("spring.servlet.multipart.resolve-lazily must be true"));
    web.withPropertyValues("spring.servlet.multipart.resolve-lazily=true").run(context ->
        assertThat(context).hasNotFailed().hasSingleBean(GenerateController.class));
    web.withPropertyValues("spring.servlet.multipart.resolve-lazily=false", "f2p.http.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(GenerateController.class));
  }
}
