package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code f2p} health indicator lists the engine's devices (a remote engine's endpoints) and their health. */
class F2pHealthDevicesTest {
  // The host's other policies as in the main test; its engine replaced by one with endpoints.
  private final ApplicationContextRunner runner = new ApplicationContextRunner().withAllowBeanDefinitionOverriding(true)
      .withConfiguration(AutoConfigurations.of(F2pAutoConfiguration.class))
      .withUserConfiguration(F2pAutoConfigurationTest.HostPolicies.class, EndpointsEngine.class);

  /** An engine with two model servers, the second ejected once, as a remote engine reports them. */
  @Configuration(proxyBeanMethods = false)
  static class EndpointsEngine {
    @Bean
    ImageEditEngine hostEngine() {
      return new Servers();
    }
  }

  static final class Servers implements ImageEditEngine, CapacityPlan {
    @Override
    public GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) throws EngineException {
      throw new EngineException(ReasonCode.ENGINE_FAILURE, "not called");
    }

    @Override
    public String modelId() {
      return "remote-model";
    }

    @Override
    public Optional<CapacityPlan> capacityPlan() {
      return Optional.of(this);
    }

    @Override
    public int devices() {
      return 2;
    }

    @Override
    public int slots(int device) {
      return 4;
    }

    @Override
    public boolean available(int device) {
      return device == 0;
    }

    @Override
    public List<DeviceStatus> status() {
      return List.of(new DeviceStatus(0, "gpu-1:8000", true, 3, 4, 0, Duration.ofMillis(1200)),
          new DeviceStatus(1, "gpu-2:8000", false, 0, 4, 1, Duration.ZERO));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theHealthIndicatorListsEachEndpoint() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      var health = context.getBean("f2pHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      List<Map<String, Object>> devices = (List<Map<String, Object>>) health.getDetails().get("devices");
      assertThat(devices).containsExactly(
          Map.of("name", "gpu-1:8000", "up", true, "inFlight", 3, "capacity", 4, "ejections", 0L, "lastLatencyMs", 1200L),
          Map.of("name", "gpu-2:8000", "up", false, "inFlight", 0, "capacity", 4, "ejections", 1L, "lastLatencyMs", 0L));
    });
  }
}
