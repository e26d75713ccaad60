package dev.f2p.spring.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Role;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.FileApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHasher;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with the starter and a few YAML lines gets the whole guard on the signed fixture
 * model: admission before the body, problem+json refusals, rate-limit fields, a host bean replacing a policy,
 * metrics in the application's registry, health and the f2p endpoint. One context for all of it.
 */
@SpringBootTest(classes = GuardedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StarterApplicationTest {
  private static Path dir;
  private static IssuedKey user;

  @LocalServerPort int port;
  @Autowired MeterRegistry registry;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();


  @DynamicPropertySource
  static void files(DynamicPropertyRegistry r) throws IOException {
    dir = Files.createTempDirectory("f2p-starter");
    Path keysFile = dir.resolve("keys.properties");
    user = new ApiKeys(FileApiKeyStore.open(keysFile), KeyHasher.sha256(), Clock.systemUTC())
        .issue("alice", Set.of(Role.USER), Optional.empty());
    r.add("f2p.authenticator.file", keysFile::toString);
  }

  @Test
  void anAdmittedCallerGetsTheEditedPngWithRateLimitFieldsAndRequestId() throws Exception {
    HttpResponse<byte[]> ok = http.send(generate(user.key(), form("a portrait in warm light")),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ok.statusCode()).as(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("image/png"));
    assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(v -> assertThat(v).contains(";q=3;w=60"));
    assertThat(ok.headers().firstValue("RateLimit")).isPresent();
    assertThat(ok.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(registry.find("f2p.requests").counters()).isNotEmpty();
  }

  @Test
  void aRefusedKeyIs401ProblemJsonAtOnceThoughItsBodyNeverArrives() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      // Headers announce a 10 MB body that is never sent: the answer must not wait for it.
      out.write(("POST /generate HTTP/1.1\r\nHost: localhost\r\nX-API-Key: f2p_nobody_0000000000000000\r\n"
          + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readHead(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 401");
      assertThat(answer.toLowerCase()).contains("content-type: application/problem+json")
          .contains("connection: close").contains("x-request-id:");
      assertThat(answer).contains("\"code\":\"UNAUTHENTICATED\"").contains("\"type\":\"urn:f2p:problem:unauthenticated\"")
          .contains("\"status\":401");
    }
  }

  @Test
  void theHostsPromptFilterBeanReplacesTheConfiguredOne() throws Exception {
    // The standard filter would let this through; the host's own bean refuses it.
    HttpResponse<String> r = http.send(generate(user.key(), form("a portrait with a pineapple")),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(r.body()).contains("\"code\":\"PROMPT_REJECTED\"").doesNotContain("pineapple");
  }

  @Test
  void healthIsReadyWithTheEngineAndTheF2pEndpointShowsTheModel() throws Exception {
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base("/actuator/health/readiness")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("\"f2p\"").contains("\"engineAvailable\":true").contains("\"lockdown\":\"off\"");
    HttpResponse<String> state = http.send(HttpRequest.newBuilder(base("/actuator/f2p")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(state.statusCode()).isEqualTo(200);
    assertThat(state.body()).contains("\"model\":").contains("\"engineAvailable\":true");
  }

  @Test
  void errorsTheServerRaisesItselfAreProblemJsonNamingNoExceptionClass() throws Exception {
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(base("/nowhere")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(missing.body()).contains("\"code\":\"NOT_FOUND\"");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("POST /generate HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + user.key()
          + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: abc\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String answer = readHead(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
      assertThat(answer).contains("\"code\":\"INVALID_REQUEST\"").doesNotContain("Exception").doesNotContain("<html");
    }
  }

  private URI base(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpRequest generate(String key, Form form) {
    return HttpRequest.newBuilder(base("/generate")).timeout(Duration.ofSeconds(60)).header("X-API-Key", key)
        .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes)).build();
  }

  private record Form(String boundary, byte[] bytes) {}

  private static Form form(String prompt) throws IOException {
    String boundary = UUID.randomUUID().toString();
    byte[] face = Files.readAllBytes(Path.of(System.getProperty("f2p.shared.dir"), "images/faces/astronaut-face.png"));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"f.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    b.write(face);
    for (String[] field : new String[][] {{"prompt", prompt}, {"width", "256"}, {"height", "256"}, {"seed", "3"}}) {
      b.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n" + field[1])
          .getBytes(StandardCharsets.UTF_8));
    }
    b.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return new Form(boundary, b.toByteArray());
  }

  /** Reads the status line, headers and the (small) body until the server closes or stops sending. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        b.write(buf, 0, n);
        if (b.toString(StandardCharsets.ISO_8859_1).contains("}")) {
          break;
        }
      }
    } catch (java.net.SocketTimeoutException e) {
      // what arrived is what there is
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
