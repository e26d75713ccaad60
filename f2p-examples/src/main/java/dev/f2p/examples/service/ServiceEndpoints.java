package dev.f2p.examples.service;

import dev.f2p.examples.http.AdminEndpoints;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health} (open: engine and lockdown only), {@code GET /metrics} (Prometheus text, ADMIN keys)
 * and the admin endpoints, each answered by the same {@link AdminEndpoints} the JDK sketch uses, so both
 * fronts keep one contract. The caller's address is the container's ({@code server.forward-headers-strategy}
 * decides whether a proxy's {@code X-Forwarded-For} counts). Thread-safe.
 */
@RestController
class ServiceEndpoints {
  private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;
  private static final MediaType PROMETHEUS = MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8");

  private final AdminEndpoints admin;
  private final ObjectProvider<PrometheusMeterRegistry> prometheus;

  ServiceEndpoints(AdminEndpoints admin, ObjectProvider<PrometheusMeterRegistry> prometheus) {
    this.admin = admin;
    this.prometheus = prometheus;
  }

  @GetMapping("/health")
  ResponseEntity<String> health() {
    return answer(UUID.randomUUID().toString(), admin.health(false));
  }

  @GetMapping("/metrics")
  ResponseEntity<String> metrics(HttpServletRequest request) {
    String requestId = UUID.randomUUID().toString();
    Optional<AdminEndpoints.Answer> refused = admin.authorizeMetrics(key(request), request.getRemoteAddr(), requestId);
    if (refused.isPresent()) {
      return answer(requestId, refused.get());
    }
    PrometheusMeterRegistry registry = prometheus.getIfAvailable();
    String text = registry == null ? "" : registry.scrape();
    return common(ResponseEntity.ok(), requestId).contentType(PROMETHEUS).body(text);
  }

  @RequestMapping(path = "/admin/**", method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT,
      RequestMethod.DELETE, RequestMethod.PATCH})
  ResponseEntity<String> admin(HttpServletRequest request) {
    String requestId = UUID.randomUUID().toString();
    // The raw path, as the JDK sketch sees it: the ids in it are decoded and checked by AdminEndpoints.
    String path = request.getRequestURI().substring(request.getContextPath().length() + "/admin/".length());
    return answer(requestId, admin.handle(request.getMethod(), path, request.getQueryString(), key(request),
        request.getRemoteAddr(), requestId));
  }

  /** The only {@code X-API-Key}; a repeated one is no key (the client then refuses it as unauthenticated). */
  private static String key(HttpServletRequest request) {
    List<String> keys = java.util.Collections.list(request.getHeaders("X-API-Key"));
    return keys.size() == 1 ? keys.get(0) : "";
  }

  private static ResponseEntity<String> answer(String requestId, AdminEndpoints.Answer a) {
    ResponseEntity.BodyBuilder b = common(ResponseEntity.status(a.status()), requestId)
        .contentType(a.isProblem() ? PROBLEM : MediaType.APPLICATION_JSON);
    if (!a.allow().isEmpty()) {
      b.header(HttpHeaders.ALLOW, a.allow());
    }
    if (a.retryAfterSeconds() > 0) {
      b.header(HttpHeaders.RETRY_AFTER, Long.toString(a.retryAfterSeconds()));
    }
    return b.body(a.json());
  }

  private static ResponseEntity.BodyBuilder common(ResponseEntity.BodyBuilder b, String requestId) {
    return b.header("X-Request-Id", requestId).header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("X-Content-Type-Options", "nosniff");
  }
}
