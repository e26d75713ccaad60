package dev.f2p.spring.autoconfigure;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.spi.BreakerState;
import dev.f2p.core.spi.DeviceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
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
 * capacity, ejections, last latency), one indicator each for the circuit breaker ({@code f2pBreaker}),
 * Redis shared state ({@code f2pRedis}) and the lockdown ({@code f2pLockdown}), all four in the readiness
 * group ({@link F2pDefaults}; none in liveness), and the {@code f2p} actuator endpoint (model id, engine available,
 * lockdown, breaker, Redis; the incident actions for an ADMIN key, {@link F2pAdminActions}), each only where
 * the actuator is on the class path.
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

  /** The endpoint's state: {@link #state} and the breaker and Redis. */
  static Map<String, Object> fullState(ImageEditClient client, F2pAutoConfiguration.LockdownState lockdown,
      F2pAutoConfiguration.SharedState redis) {
    Map<String, Object> s = state(client, lockdown);
    s.put("breaker", client.breakerState().map(Enum::name).orElse("none"));
    s.put("redis", redis.now().<Object>map(F2pActuatorConfiguration::redisDetails).orElse("not in use"));
    return s;
  }

  private static Map<String, Object> redisDetails(F2pAutoConfiguration.SharedStateView v) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("available", v.available());
    d.put("failureMode", v.failureMode());
    return d;
  }

  /**
   * The breaker for readiness: OUT_OF_SERVICE only while OPEN (every request is refused until its cool-down
   * passes); once the probe is due the instance reads UP again, so traffic reaches it and the probe can run.
   */
  static Health breakerHealth(ImageEditClient client) {
    Optional<BreakerState> state = client.breakerState();
    return Health.status(state.filter(BreakerState.OPEN::equals).isPresent() ? Status.OUT_OF_SERVICE : Status.UP)
        .withDetail("state", state.map(Enum::name).orElse("none")).build();
  }

  /**
   * Redis shared state for readiness: UP while it is available or not in use; while it is not, OUT_OF_SERVICE
   * under FAIL_CLOSED (the instance refuses every request) and UP under LOCAL_FALLBACK (it serves on its own
   * share of the limits; the details say so), so one Redis outage does not take every instance out at once.
   */
  static Health redisHealth(F2pAutoConfiguration.SharedState redis) {
    Optional<F2pAutoConfiguration.SharedStateView> view = redis.now();
    if (view.isEmpty()) {
      return Health.up().withDetail("inUse", false).build();
    }
    F2pAutoConfiguration.SharedStateView v = view.get();
    boolean refusing = !v.available() && "FAIL_CLOSED".equals(v.failureMode());
    return Health.status(refusing ? Status.OUT_OF_SERVICE : Status.UP).withDetail("inUse", true)
        .withDetails(redisDetails(v)).build();
  }

  /** The lockdown for readiness: OUT_OF_SERVICE while one is in force (callers are refused). */
  static Health lockdownHealth(F2pAutoConfiguration.LockdownState lockdown) {
    Optional<String> mode = lockdown.mode();
    return Health.status(mode.isPresent() ? Status.OUT_OF_SERVICE : Status.UP)
        .withDetail("mode", mode.orElse("off")).build();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "f2pBreakerHealthIndicator")
    HealthIndicator f2pBreakerHealthIndicator(ImageEditClient client) {
      return () -> breakerHealth(client);
    }

    @Bean
    @ConditionalOnMissingBean(name = "f2pRedisHealthIndicator")
    HealthIndicator f2pRedisHealthIndicator(F2pAutoConfiguration.SharedState redis) {
      return () -> redisHealth(redis);
    }

    @Bean
    @ConditionalOnMissingBean(name = "f2pLockdownHealthIndicator")
    HealthIndicator f2pLockdownHealthIndicator(F2pAutoConfiguration.LockdownState lockdown) {
      return () -> lockdownHealth(lockdown);
    }

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

  /**
   * The admin caller of a servlet request (MVC binds it to the thread): its {@code X-API-Key} headers and the
   * peer address as the container resolved it, as {@code POST /generate} reads them.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.web.context.request.RequestContextHolder",
      "jakarta.servlet.http.HttpServletRequest"})
  static class ServletCaller {
    @Bean
    @ConditionalOnMissingBean
    F2pAdminActions.Caller f2pAdminCaller() {
      return new F2pAdminActions.Caller() {
        @Override
        public Optional<F2pAdminActions.Presented> current() {
          return attributes().map(attributes -> {
            jakarta.servlet.http.HttpServletRequest http = attributes.getRequest();
            List<String> keys = java.util.Collections.list(http.getHeaders(HttpAnswers.API_KEY));
            return new F2pAdminActions.Presented(keys.isEmpty() ? "" : keys.get(0), http.getRemoteAddr(),
                keys.size() > 1);
          });
        }

        @Override
        public void answerField(String name, String value) {
          // The endpoint's answer is written onto this very response after the operation returns, keeping
          // the fields set here.
          attributes().map(org.springframework.web.context.request.ServletRequestAttributes::getResponse)
              .ifPresent(response -> response.setHeader(name, value));
        }

        private Optional<org.springframework.web.context.request.ServletRequestAttributes> attributes() {
          return org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
              instanceof org.springframework.web.context.request.ServletRequestAttributes a ? Optional.of(a)
              : Optional.empty();
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Endpoint.class)
  @org.springframework.context.annotation.Import(ServletCaller.class)
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    F2pEndpoint f2pEndpoint(ImageEditClient client, F2pAutoConfiguration.LockdownState lockdown,
        F2pAutoConfiguration.SharedState redis, F2pSharedObjects shared, ObjectProvider<F2pAdminActions.Caller> caller) {
      return new F2pEndpoint(client, lockdown, redis, new F2pAdminActions(client, shared,
          caller.getIfAvailable(() -> Optional::empty)));
    }
  }

  /**
   * The {@code f2p} actuator endpoint: the state on read; on write ({@code POST /actuator/f2p/{action}} with
   * a JSON body of {@code target}, {@code for}, {@code mode}) an incident action for a caller presenting an
   * ADMIN key in {@code X-API-Key} ({@link F2pAdminActions}).
   */
  @Endpoint(id = "f2p")
  static final class F2pEndpoint {
    private final ImageEditClient client;
    private final F2pAutoConfiguration.LockdownState lockdown;
    private final F2pAutoConfiguration.SharedState redis;
    private final F2pAdminActions actions;

    F2pEndpoint(ImageEditClient client, F2pAutoConfiguration.LockdownState lockdown,
        F2pAutoConfiguration.SharedState redis, F2pAdminActions actions) {
      this.client = client;
      this.lockdown = lockdown;
      this.redis = redis;
      this.actions = actions;
    }

    @ReadOperation
    Map<String, Object> state() {
      return fullState(client, lockdown, redis);
    }

    @WriteOperation
    WebEndpointResponse<Map<String, Object>> act(@Selector String action, @Nullable String target,
        @Nullable String duration, @Nullable String mode) {
      F2pAdminActions.Answer a = actions.perform(action, target, duration, mode);
      return new WebEndpointResponse<>(a.body(), a.status());
    }
  }
}
