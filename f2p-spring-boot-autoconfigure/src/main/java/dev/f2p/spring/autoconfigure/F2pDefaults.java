package dev.f2p.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults the guard needs from Spring Boot itself, added last so any application setting wins:
 * multipart bodies parsed only when the controller asks ({@code spring.servlet.multipart.resolve-lazily},
 * which admission before the body depends on), kept in memory rather than spilled to temporary files
 * (face images are personal data), and the guard's health indicators in the readiness group: {@code f2p}
 * (engine and model integrity), {@code f2pBreaker}, {@code f2pRedis} and {@code f2pLockdown}, each of which
 * means "send this instance no traffic now" and clears by itself. None joins liveness: a restart mends none
 * of them (a model that failed its integrity check fails it again; an open breaker, a Redis outage or a
 * lockdown outlive the process) and would only drop the requests in flight.
 */
public final class F2pDefaults implements EnvironmentPostProcessor {
  static final String RESOLVE_LAZILY = "spring.servlet.multipart.resolve-lazily";
  static final String SOURCE = "f2pDefaults";
  /** The readiness group: Boot's own state and the guard's four indicators (all always registered). */
  static final String READINESS = "readinessState,f2p,f2pBreaker,f2pRedis,f2pLockdown";

  /** Creates the post-processor; Spring Boot calls it. */
  public F2pDefaults() {}

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put(RESOLVE_LAZILY, "true");
    defaults.put("spring.servlet.multipart.file-size-threshold", "16MB");
    defaults.put("spring.servlet.multipart.max-file-size", "12MB");
    defaults.put("spring.servlet.multipart.max-request-size", "12MB");
    // Probes on, so readinessState exists for the group to include; the guard joins readiness, not liveness.
    defaults.put("management.endpoint.health.probes.enabled", "true");
    defaults.put("management.endpoint.health.group.readiness.include", READINESS);
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
  }
}
