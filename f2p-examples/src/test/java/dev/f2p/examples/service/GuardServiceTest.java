package dev.f2p.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.examples.http.Multipart;
import dev.f2p.provenance.ProvenanceReader;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Spring Boot service with every real policy, on the contract the JDK sketch has: the edited
 * and labelled PNG with the IETF rate-limit fields, refusals as RFC 9457 problems, admin actions through
 * incident control taking effect on the next request, /metrics for ADMIN only, /health with the lockdown.
 */
class GuardServiceTest {
  @TempDir static Path dir;
  static RunningService service;
  static URI base;
  static byte[] face;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    service = RunningService.start(dir, Map.of());
    base = URI.create("http://127.0.0.1:" + service.port);
    face = Files.readAllBytes(Path.of(System.getProperty("f2p.shared.dir"), "images/faces/astronaut-face.png"));
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void theShippedSettingsRunTheRealPoliciesEndToEnd() throws Exception {
    byte[] form = new Multipart().file("image", face).text("prompt", "a portrait in warm light")
        .text("width", "256").text("height", "256").text("seed", "3").build();
    HttpResponse<byte[]> ok = http.send(generate(service.user.key(), form), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ok.statusCode()).as(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(ok.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(v -> assertThat(v).contains("q=10"));
    assertThat(ok.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(ProvenanceReader.labelsOnly().read(ok.body()).label()).isPresent();

    HttpResponse<String> nude = http.send(generate(service.user.key(), new Multipart().file("image", face)
        .text("prompt", "a nude photo of her").build()), HttpResponse.BodyHandlers.ofString());
    assertThat(nude.statusCode()).isEqualTo(422);
    assertThat(nude.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(nude.body()).contains("\"code\":\"PROMPT_REJECTED\"").doesNotContain("nude");
  }

  @Test
  void stageObservationsTimeEachStageWithoutLongTaskTimers() throws Exception {
    http.send(generate("f2p_live_nobody", new byte[0]), HttpResponse.BodyHandlers.ofString());
    MeterRegistry registry = service.context.getBean(MeterRegistry.class);
    assertThat(registry.find("f2p.stage").timers()).isNotEmpty();
    // A long-task timer per stage puts every refusal thread on one shared set of active tasks.
    assertThat(registry.find("f2p.stage.active").longTaskTimers()).isEmpty();
  }

  @Test
  void aBadKeyIsA401ProblemWithTheRequestIdAsInstance() throws Exception {
    HttpResponse<String> r = http.send(generate("f2p_live_nobody", new byte[0]), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(r.body()).contains("\"instance\":\"" + id + "\"").contains("\"code\":\"UNAUTHENTICATED\"")
        .contains("\"type\":\"urn:f2p:problem:unauthenticated\"");
  }

  @Test
  void adminActionsTakeEffectOnTheNextRequestAndHealthShowsTheLockdown() throws Exception {
    assertThat(get("/health", "").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = post("/admin/lockdown?mode=all", service.user.key());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");

    HttpResponse<String> locked = post("/admin/lockdown?mode=admins-only", service.admin.key());
    assertThat(locked.statusCode()).as(locked.body()).isEqualTo(200);
    assertThat(locked.body()).isEqualTo("{\"action\":\"lockdown\",\"target\":\"service\",\"changed\":true}");
    HttpResponse<String> health = get("/health", "");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body()).contains("\"status\":\"LOCKED_DOWN\"").contains("\"mode\":\"admins-only\"");
    assertThat(http.send(generate(service.user.key(), new byte[0]), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(503);

    HttpResponse<String> lifted = http.send(HttpRequest.newBuilder(base.resolve("/admin/lockdown"))
        .header("X-API-Key", service.admin.key()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(lifted.statusCode()).isEqualTo(200);
    assertThat(get("/health", "").statusCode()).isEqualTo(200);

    HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(base.resolve("/admin/keys/x/revoke"))
        .header("X-API-Key", service.admin.key()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void aRevokedKeyIsRefusedOnItsNextRequest() throws Exception {
    var keys = new dev.f2p.security.auth.ApiKeys(dev.f2p.security.auth.FileApiKeyStore.open(service.dir.resolve(
        "keys.properties")), dev.f2p.security.auth.KeyHasher.sha256(), java.time.Clock.systemUTC());
    var bob = keys.issue("bob", java.util.Set.of(dev.f2p.core.Role.USER), java.util.Optional.empty());
    HttpResponse<String> revoke = post("/admin/keys/" + bob.keyId() + "/revoke", service.admin.key());
    assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);
    HttpResponse<String> revoked = http.send(generate(bob.key(), new byte[0]), HttpResponse.BodyHandlers.ofString());
    assertThat(revoked.statusCode()).isEqualTo(403);
  }

  @Test
  void metricsAreForAdminKeysOnly() throws Exception {
    HttpResponse<String> anonymous = get("/metrics", "");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(get("/metrics", service.user.key()).statusCode()).isEqualTo(403);
    http.send(generate("f2p_live_nobody", new byte[0]), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> metrics = get("/metrics", service.admin.key());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("f2p_requests_total").contains("f2p_guard_slots");
  }

  @Test
  void errorsTheServerRaisesItselfAreProblems() throws Exception {
    HttpResponse<String> missing = get("/nowhere", "");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
    HttpResponse<String> method = get("/generate", "");
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(method.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(method.body()).contains("\"code\":\"METHOD_NOT_ALLOWED\"");
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    if (!key.isEmpty()) {
      b.header("X-API-Key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).header("X-API-Key", key)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest generate(String key, byte[] form) {
    return HttpRequest.newBuilder(base.resolve("/generate")).timeout(Duration.ofSeconds(60))
        .header("X-API-Key", key).header("Content-Type", Multipart.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(form)).build();
  }
}
