package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Outcome;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.security.guard.StandardResourceGuard;
import dev.f2p.testing.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The security log's MDC under a real tracing bridge (Brave, through Boot's tracing auto-configuration):
 * every event of a {@code POST /generate}, a refusal on the headers as much as an admitted edit's, is heard
 * while the MDC holds the request's {@code traceId} and its {@code requestId} (the answer's
 * {@code X-Request-Id}); one trace per request. The MDC is read by a listener exactly where the library's
 * SLF4J security log reads it, as the event is published.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "management.tracing.sampling.probability=1.0",
    "spring.servlet.multipart.resolve-lazily=true"})
class F2pTraceMdcTest {
  /** An event and the MDC when it was heard. */
  record Heard(SecurityEvent event, Map<String, String> mdc) {}

  static final List<Heard> HEARD = new CopyOnWriteArrayList<>();

  /** A Boot application with Brave on the class path: the test keys, open policies, a standard guard. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(F2pHealthIndicatorsTest.OpenPolicies.class)
  static class App {
    @Bean
    TestClients.Keys keys() {
      return new TestClients.Keys();
    }

    @Bean
    ResourceGuard guard() {
      return StandardResourceGuard.ofDefaults();
    }

    @Bean
    SecurityEventListener mdcRecorder() {
      return event -> {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        HEARD.add(new Heard(event, mdc == null ? Map.of() : mdc));
      };
    }
  }

  @LocalServerPort
  int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void clear() {
    HEARD.clear();
  }

  private HttpResponse<String> generate(String key, String contentType, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/generate"))
        .header("X-API-Key", key).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The events of the answer's request, each checked for both ids; the one trace id they share. */
  private static String traceOf(HttpResponse<String> answer) {
    String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
    List<Heard> mine = HEARD.stream().filter(h -> h.event().requestId().filter(requestId::equals).isPresent())
        .toList();
    assertThat(mine).as("events of request %s", requestId).isNotEmpty();
    assertThat(mine).allSatisfy(h -> {
      assertThat(h.mdc()).as("MDC of %s %s", h.event().stage(), h.event().outcome())
          .containsEntry("requestId", requestId).containsKey("traceId");
      assertThat(h.mdc().get("traceId")).matches("[0-9a-f]{16,32}");
    });
    assertThat(mine).extracting(h -> h.mdc().get("traceId")).as("one trace per request").containsOnly(
        mine.get(0).mdc().get("traceId"));
    return mine.get(0).mdc().get("traceId");
  }

  @Test
  void aRefusalOnTheHeadersIsLoggedWithTheTraceAndRequestIds() throws Exception {
    HttpResponse<String> refused = generate("f2p_test_nobody_000000000000000000000000", "multipart/form-data; boundary=b",
        new byte[0]);
    assertThat(refused.statusCode()).isEqualTo(401);
    traceOf(refused);
    assertThat(HEARD).anyMatch(h -> h.event().stage() == Stage.COMPLETE && h.event().outcome() == Outcome.REJECTED);
  }

  @Test
  void anAdmittedEditsEventsShareOneTraceAndEachRequestHasItsOwn() throws Exception {
    String boundary = "f2p-trace-test";
    String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"f.png\"\r\n"
        + "Content-Type: image/png\r\n\r\nPNG\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompt\""
        + "\r\n\r\n" + TestClients.PROMPT + "\r\n--" + boundary + "--\r\n";
    HttpResponse<String> first = generate(TestClients.ALICE_KEY, "multipart/form-data; boundary=" + boundary,
        form.getBytes(StandardCharsets.UTF_8));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(HEARD).anyMatch(h -> h.event().stage() == Stage.COMPLETE && h.event().outcome() == Outcome.ALLOWED);
    String firstTrace = traceOf(first);
    HttpResponse<String> second = generate(TestClients.ALICE_KEY, "multipart/form-data; boundary=" + boundary,
        form.getBytes(StandardCharsets.UTF_8));
    assertThat(traceOf(second)).isNotEqualTo(firstTrace);
  }
}
