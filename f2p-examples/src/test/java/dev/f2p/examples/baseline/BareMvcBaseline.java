package dev.f2p.examples.baseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of {@code f2p-benchmarks/load/refusals.sh}: a bare Spring MVC endpoint on the same Boot and
 * Tomcat, with Boot's defaults (the multipart body resolved before the controller runs) and no guard, that
 * refuses every key with a fixed 401. The guard's refusals are reported as a ratio to it, measured in the
 * same run. Not a test; started by the script from the test class path.
 */
@SpringBootApplication(excludeName = {"dev.f2p.spring.autoconfigure.F2pAutoConfiguration",
    "dev.f2p.spring.autoconfigure.F2pWebAutoConfiguration"})
public class BareMvcBaseline {
  /**
   * Starts the baseline; Spring Boot's options apply.
   *
   * @param args Spring Boot's command line
   */
  public static void main(String[] args) {
    SpringApplication.run(BareMvcBaseline.class, args);
  }

  /** The endpoint: a fixed refusal. */
  @RestController
  static class Refuse {
    @PostMapping("/generate")
    ResponseEntity<String> generate(@RequestHeader(name = "X-API-Key", required = false) String key) {
      return ResponseEntity.status(401).contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body("{\"status\":401,\"code\":\"UNAUTHENTICATED\"}");
    }
  }
}
