package dev.f2p.examples.service;

import dev.f2p.core.ImageEditClient;
import dev.f2p.examples.http.AdminEndpoints;
import dev.f2p.examples.http.IncidentAdminActions;
import dev.f2p.security.incident.ContainmentRule;
import dev.f2p.security.incident.FileIncidentStore;
import dev.f2p.security.incident.IncidentControl;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The F2P Guard HTTP service: a Spring Boot application whose guard, {@code POST /generate}, metrics and
 * health come from the starter and {@code application.yml}; this class adds only incident control (a host
 * bean the starter adds to the configured authorizers, so revocations, suspensions and lockdown apply on
 * the next request) and the endpoints the JDK sketch also has ({@link ServiceEndpoints}).
 *
 * <pre>
 * ./mvnw -B -q -DskipTests -pl f2p-examples -am package exec:java -Ddemo.main=dev.f2p.examples.service.GuardService
 * </pre>
 */
@SpringBootApplication
@EnableConfigurationProperties(ServiceProperties.class)
public class GuardService {
  /** Made by Spring. */
  public GuardService() {}

  /**
   * Starts the service; Spring Boot's options apply ({@code --server.port=0}, {@code --spring.config.location=...}).
   *
   * @param args Spring Boot's command line
   */
  public static void main(String[] args) {
    // The provenance label is drawn with Java2D, whose renderer keeps a context of some hundred KiB per thread
    // that ever drew, softly referenced: after a flood every worker thread held one until memory ran short.
    // Weak references let a collection reclaim them, so the heap returns to its idle size (refusals.sh).
    if (System.getProperty(RENDERER_REFERENCES) == null) {
      System.setProperty(RENDERER_REFERENCES, "weak");
    }
    SpringApplication.run(GuardService.class, args);
  }

  /** Java2D's (Marlin's) reference type for its per-thread renderer contexts: soft by default. */
  static final String RENDERER_REFERENCES = "sun.java2d.renderer.useRef";

  /**
   * Incident control, closed with the context: the starter registers it once as an authorizer and as a
   * listener (its containment rules watch every event).
   *
   * @param properties the journal and the rules
   * @return the control
   * @throws IOException when the journal cannot be opened
   */
  @Bean
  IncidentControl incidentControl(ServiceProperties properties) throws IOException {
    IncidentControl.Builder b = IncidentControl.builder();
    List<String> rules = properties.containmentRules() == null ? List.of() : properties.containmentRules();
    for (String rule : rules) {
      int eq = rule.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("f2p-service.containment-rules: each entry is name=rule: " + rule);
      }
      b.addRule(ContainmentRule.parse("f2p-service.containment-rules." + rule.substring(0, eq).trim(),
          rule.substring(eq + 1).trim()));
    }
    if (rules.isEmpty() && properties.defaultRules()) {
      b.addRule(ContainmentRule.PROMPT_ABUSE).addRule(ContainmentRule.CREDENTIAL_STUFFING)
          .addRule(ContainmentRule.EXPLICIT_OUTPUT);
    }
    if (properties.incidentJournal() != null) {
      b.store(FileIncidentStore.open(properties.incidentJournal()));
    }
    return b.build();
  }

  /**
   * @param client the guard
   * @param control incident control
   * @return the admin endpoints over it
   */
  @Bean
  AdminEndpoints adminEndpoints(ImageEditClient client, IncidentControl control) {
    return new AdminEndpoints(client, new IncidentAdminActions(control));
  }
}
