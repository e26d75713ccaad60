package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.security.guard.StandardResourceGuard;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One owner of capacity in a Spring application: the resource guard is built from the engine bean's
 * declared plan (from {@code f2p.resource-guard.*}, or the default guard), and a host guard bean that admits
 * more than the engine declares stops the application.
 */
class F2pCapacityTest {
  // The host's policies without a guard, and an engine bean with two servers of capacity 4.
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(F2pAutoConfiguration.class))
      .withUserConfiguration(F2pAutoConfigurationTest.HostChecks.class, F2pHealthDevicesTest.EndpointsEngine.class);

  @Configuration(proxyBeanMethods = false)
  static class TooLargeAGuard {
    @Bean
    ResourceGuard hostResourceGuard() {
      return StandardResourceGuard.builder().devices(2).slotsPerDevice(5).build();
    }
  }

  private static StandardResourceGuard guard(F2pSharedObjects shared) {
    @SuppressWarnings("unchecked")
    AtomicReference<Object> published = shared.find(ResourceGuardProvider.SHARED_KEY, AtomicReference.class)
        .orElseThrow();
    return (StandardResourceGuard) published.get();
  }

  @Test
  void theGuardFromPropertiesIsBuiltFromTheEngineBeansPlan() {
    runner.withPropertyValues("f2p.resource-guard.type=standard", "f2p.resource-guard.queue=4").run(context -> {
      assertThat(context).hasNotFailed();
      StandardResourceGuard guard = guard(context.getBean(F2pSharedObjects.class));
      assertThat(guard.capacity()).isEqualTo(8);
      assertThat(guard.metrics().orElseThrow().devices()).isEqualTo(2);
    });
  }

  @Test
  void withoutAGuardTheDefaultOneIsBuiltFromTheEngineBeansPlan() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(guard(context.getBean(F2pSharedObjects.class)).capacity()).isEqualTo(8);
    });
  }

  @Test
  void theGuardsOwnSlotsBesideTheEngineBeansPlanStopTheApplicationNamingBoth() {
    runner.withPropertyValues("f2p.resource-guard.type=standard", "f2p.resource-guard.devices=2").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("f2p.resource-guard.devices cannot be set: the engine declares its capacity"));
  }

  @Test
  void aHostGuardBeanLargerThanTheEngineBeansPlanStopsTheApplication() {
    runner.withUserConfiguration(TooLargeAGuard.class).run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("the resource guard admits 10 at once on 2 device(s) but the engine declares 8"));
  }
}
