package dev.f2p.spring.autoconfigure;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.spi.DeviceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The guard's state for operators: the {@code f2p} health indicator (UP with the engine available and no
 * lockdown; DOWN when the engine is not available (not loaded, failed its integrity check, client closed);
 * OUT_OF_SERVICE during a lockdown; with a remote engine, {@code devices} lists each endpoint: up, in flight,
 * capacity, ejections, last latency) and the {@code f2p} actuator endpoint (model id, engine available,
 * lockdown), each only where the actuator is on the class path.
 */
@Configuration(proxyBeanMethods = false)
class F2pActuatorConfiguration {
  /** The state both show, read fresh on every call. */
  static Map<String, Object> state(ImageEditClient client, F2pAutoConfiguration.LockdownState lockdown) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("model", client.modelId());
    s.put("engineAvailable", client.isEngineAvailable());
    s.put("lockdown", lockdown.mode().orElse("off"));
    return s;
  }

  /** The engine's devices (a remote engine's endpoints) and their health, for the health indicator. */
  static List<Map<String, Object>> devices(ImageEditClient client) {
    List<Map<String, Object>> all = new ArrayList<>();
    for (DeviceStatus d : client.engineDevices()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", d.name());
      one.put("up", d.up());
      one.put("inFlight", d.inFlight());
      one.put("capacity", d.capacity());
      one.put("ejections", d.ejections());
      one.put("lastLatencyMs", d.lastLatency().toMillis());
      all.add(one);
    }
    return all;
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "f2pHealthIndicator")
    HealthIndicator f2pHealthIndicator(ImageEditClient client, F2pAutoConfiguration.LockdownState lockdown) {
      return () -> {
        Map<String, Object> s = state(client, lockdown);
        Status status = !client.isEngineAvailable() ? Status.DOWN
            : !"off".equals(s.get("lockdown")) ? Status.OUT_OF_SERVICE : Status.UP;
        List<Map<String, Object>> devices = devices(client);
        if (!devices.isEmpty()) {
          s.put("devices", devices);
        }
        return Health.status(status).withDetails(s).build();
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Endpoint.class)
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    F2pEndpoint f2pEndpoint(ImageEditClient client, F2pAutoConfiguration.LockdownState lockdown) {
      return new F2pEndpoint(client, lockdown);
    }
  }

  /** The {@code f2p} actuator endpoint: read-only state; no admin actions (yet). */
  @Endpoint(id = "f2p")
  static final class F2pEndpoint {
    private final ImageEditClient client;
    private final F2pAutoConfiguration.LockdownState lockdown;

    F2pEndpoint(ImageEditClient client, F2pAutoConfiguration.LockdownState lockdown) {
      this.client = client;
      this.lockdown = lockdown;
    }

    @ReadOperation
    Map<String, Object> state() {
      return F2pActuatorConfiguration.state(client, lockdown);
    }
  }
}
