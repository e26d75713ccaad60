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
 * (face images are personal data), and the {@code f2p} health indicator in the readiness group.
 */
public final class F2pDefaults implements EnvironmentPostProcessor {
  static final String RESOLVE_LAZILY = "spring.servlet.multipart.resolve-lazily";
  static final String SOURCE = "f2pDefaults";

  /** Creates the post-processor; Spring Boot calls it. */
  public F2pDefaults() {}

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put(RESOLVE_LAZILY, "true");
    defaults.put("spring.servlet.multipart.file-size-threshold", "16MB");
    defaults.put("spring.servlet.multipart.max-file-size", "12MB");
    defaults.put("spring.servlet.multipart.max-request-size", "12MB");
    // Probes on, so readinessState exists for the group to include; f2p joins readiness, not liveness: a
    // restart cures neither a lockdown nor a tampered model.
    defaults.put("management.endpoint.health.probes.enabled", "true");
    defaults.put("management.endpoint.health.group.readiness.include", "readinessState,f2p");
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
  }
}
