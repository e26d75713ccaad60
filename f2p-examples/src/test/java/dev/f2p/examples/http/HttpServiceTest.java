package dev.f2p.examples.http;

import static dev.f2p.examples.http.ServiceHarness.ADMIN_KEY;
import static dev.f2p.examples.http.ServiceHarness.TRIAL_KEY;
import static dev.f2p.examples.http.ServiceHarness.USER_KEY;
import static dev.f2p.examples.http.ServiceHarness.assertProblem;
import static dev.f2p.examples.http.ServiceHarness.body;
import static dev.f2p.examples.http.ServiceHarness.form;
import static dev.f2p.examples.http.ServiceHarness.png;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every status of POST /generate produced by a real request, with its documented headers. */
class HttpServiceTest {
  private ServiceHarness h;
  private final List<HttpResponse<byte[]>> responses = new ArrayList<>();

  @BeforeEach
  void start() {
    h = new ServiceHarness();
  }

  @AfterEach
  void stop() {
    h.close();
    // Whatever went wrong, nothing internal reached a caller.
    for (HttpResponse<byte[]> r : responses) {
      String all = body(r) + r.headers().map();
      assertThat(all).doesNotContain("Exception", "dev.f2p", "java.", "\tat ", "forbiddenword", "SecretThing");
    }
  }

  private HttpResponse<byte[]> generate(String key, byte[] body) {
    return keep(h.generate(key, body));
  }

  private HttpResponse<byte[]> keep(HttpResponse<byte[]> r) {
    responses.add(r);
    return r;
  }

  @Test
  void successAnswersThePngWithRequestIdAndRateLimitFields() throws IOException {
    HttpResponse<byte[]> r = generate(USER_KEY, form("a portrait in a garden").build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(UUID.fromString(r.headers().firstValue("X-Request-Id").orElseThrow())).isNotNull();
    assertThat(r.headers().firstValue("RateLimit-Policy")).hasValue("\"per-key\";q=5;w=3600");
    assertThat(r.headers().firstValue("RateLimit")).hasValue("\"per-key\";r=4;t=0");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
    assertThat(image.getWidth()).isEqualTo(64);
    assertThat(image.getHeight()).isEqualTo(64);
  }

  @Test
  void malformedFormsAre400() {
    assertProblem(generate(USER_KEY, new Multipart().file("image", png(48, 48)).text("prompt", "x").unterminated()),
        400, "INVALID_REQUEST");
    assertProblem(generate(USER_KEY, form("a portrait").text("colour", "red").build()), 400, "INVALID_REQUEST");
    assertProblem(generate(USER_KEY, new Multipart().file("image", png(48, 48)).build()), 400, "INVALID_REQUEST");
    assertProblem(generate(USER_KEY, new Multipart().file("image", png(48, 48)).text("prompt", "p")
        .text("width", "wide").build()), 400, "INVALID_REQUEST");
    // Well-formed, but out of the request's range: refused by the pipeline's request validation.
    assertProblem(generate(USER_KEY, new Multipart().file("image", png(48, 48)).text("prompt", "p")
        .text("steps", "100000").build()), 400, "INVALID_REQUEST");
  }

  @Test
  void aBodyThatIsNotMultipartIs415() {
    assertProblem(keep(h.generate(USER_KEY, "application/json", "{}".getBytes(StandardCharsets.UTF_8))),
        415, "INVALID_REQUEST");
  }

  @Test
  void missingOrWrongKeyIs401() {
    assertProblem(generate(null, form("a portrait").build()), 401, "UNAUTHENTICATED");
    HttpResponse<byte[]> wrong = generate("f2p_user_wrong", form("a portrait").build());
    assertProblem(wrong, 401, "UNAUTHENTICATED");
    assertThat(wrong.headers().firstValue("RateLimit")).isEmpty();
  }

  @Test
  void aRoleThatMayNotMakeTheRequestIs403() {
    HttpResponse<byte[]> r = generate(TRIAL_KEY, new Multipart().file("image", png(48, 48))
        .text("prompt", "a portrait").text("width", "1024").text("height", "1024").build());
    assertProblem(r, 403, "FORBIDDEN");
  }

  @Test
  void anImageOverTheValidatorsLimitIs413() {
    byte[] noise = ServiceHarness.encode(noise(400, 400), "png"); // > 200000 bytes, < the body limit
    assertThat(noise.length).isGreaterThan(200_000);
    HttpResponse<byte[]> r = generate(USER_KEY, new Multipart().file("image", noise).text("prompt", "p").build());
    assertProblem(r, 413, "IMAGE_REJECTED");
    assertThat(r.headers().firstValue("RateLimit")).hasValue("\"per-key\";r=4;t=0");
  }

  @Test
  void aFormatNotAllowedIs415() {
    byte[] gif = ServiceHarness.encode(noise(32, 32), "gif");
    assertProblem(generate(USER_KEY, new Multipart().file("image", gif).text("prompt", "p").build()),
        415, "IMAGE_REJECTED");
  }

  @Test
  void aRefusedPromptOrAnUndecodableImageIs422WithoutTheTerm() {
    HttpResponse<byte[]> prompt = generate(USER_KEY, form("a portrait with FORBIDDENWORD in it").build());
    assertProblem(prompt, 422, "PROMPT_REJECTED");
    byte[] broken = png(48, 48);
    java.util.Arrays.fill(broken, 16, broken.length, (byte) 7);
    assertProblem(generate(USER_KEY, new Multipart().file("image", broken).text("prompt", "p").build()),
        422, "IMAGE_REJECTED");
  }

  @Test
  void aPolicyThatThrowsFailsClosedWithoutInternals() {
    HttpResponse<byte[]> r = generate(USER_KEY, form("please explode").build());
    assertProblem(r, 422, "PROMPT_REJECTED");
  }

  @Test
  void overTheQuotaIs429WithRetryAfterAndRateLimitFields() {
    for (int i = 0; i < 5; i++) {
      assertThat(generate(USER_KEY, form("a portrait").build()).statusCode()).isEqualTo(200);
    }
    HttpResponse<byte[]> r = generate(USER_KEY, form("a portrait").build());
    assertProblem(r, 429, "RATE_LIMITED");
    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(3500L, 3600L);
    assertThat(r.headers().firstValue("RateLimit-Policy")).hasValue("\"per-key\";q=5;w=3600");
    assertThat(r.headers().firstValue("RateLimit").orElseThrow()).matches("\"per-key\";r=0;t=3[56][0-9]{2}");
    // Another key has its own quota.
    assertThat(generate(ADMIN_KEY, form("a portrait").build()).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnavailableEngineIs503WithRetryAfterAndHealthSaysSo() {
    h.state.engineAvailable = false;
    HttpResponse<byte[]> r = generate(USER_KEY, form("a portrait").build());
    assertProblem(r, 503, "ENGINE_UNAVAILABLE");
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    HttpResponse<byte[]> health = keep(h.get("/health", null));
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(body(health)).contains("\"status\":\"DEGRADED\"", "\"available\":false");
  }

  @Test
  void aResultPastItsDeadlineIs504() {
    try (ServiceHarness late = new ServiceHarness(Map.of("f2p.resource-guard.timeout", "10ms",
        "f2p.engine.slow-time", "200ms"), b -> {})) {
      assertProblem(keep(late.generate(USER_KEY, form("a slow portrait").build())), 504, "TIMEOUT");
    }
  }

  @Test
  void healthNeedsNoKeyAndNamesTheModel() {
    HttpResponse<byte[]> r = keep(h.get("/health", null));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(body(r)).isEqualTo("{\"status\":\"UP\",\"model\":{\"id\":\"test-model@1\",\"available\":true},"
        + "\"lockdown\":{\"active\":false,\"mode\":\"off\"}}");
  }

  @Test
  void metricsNeedAnAdminKey() {
    generate(USER_KEY, form("a portrait").build());
    assertProblem(keep(h.get("/metrics", null)), 401, "UNAUTHENTICATED");
    assertProblem(keep(h.get("/metrics", USER_KEY)), 403, "FORBIDDEN");
    HttpResponse<byte[]> r = keep(h.get("/metrics", ADMIN_KEY));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(body(r)).contains("f2p_http_requests_total{route=\"generate\",status=\"200\"} 1.0");
  }

  @Test
  void unknownPathsAndMethodsAreProblemsToo() {
    assertProblem(keep(h.get("/nothing-here", USER_KEY)), 404, "NOT_FOUND");
    HttpResponse<byte[]> r = keep(h.get("/generate", USER_KEY));
    assertProblem(r, 405, "METHOD_NOT_ALLOWED");
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void theClientAddressIsTheSocketsNotAForwardedOne() {
    keep(h.admin("POST", "/admin/addresses/203.0.113.9/suspend?for=1h", ADMIN_KEY));
    HttpResponse<byte[]> r = keep(h.send(java.net.http.HttpRequest.newBuilder(h.uri("/generate"))
        .header("Content-Type", Multipart.contentType()).header("X-API-Key", USER_KEY)
        .header("X-Forwarded-For", "203.0.113.9")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(form("a portrait").build())).build()));
    assertThat(r.statusCode()).isEqualTo(200);
    keep(h.admin("POST", "/admin/addresses/127.0.0.1/suspend?for=1h", ADMIN_KEY));
    assertProblem(generate(USER_KEY, form("a portrait").build()), 403, "FORBIDDEN");
  }

  @Nested
  class Trusted {
    @Test
    void behindATrustedProxyTheLastForwardedAddressCounts() {
      try (ServiceHarness proxied = new ServiceHarness(Map.of(), b -> b.trustForwardedFor(true))) {
        proxied.admin("POST", "/admin/addresses/203.0.113.9/suspend", ADMIN_KEY);
        HttpResponse<byte[]> r = keep(proxied.send(java.net.http.HttpRequest.newBuilder(proxied.uri("/generate"))
            .header("Content-Type", Multipart.contentType()).header("X-API-Key", USER_KEY)
            .header("X-Forwarded-For", "198.51.100.1, 203.0.113.9")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(form("a portrait").build())).build()));
        assertProblem(r, 403, "FORBIDDEN");
      }
    }
  }

  static BufferedImage noise(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(1);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }
}
