package dev.f2p.examples.http;

import static dev.f2p.examples.http.ServiceHarness.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.examples.remote.TestModelServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /health} with the remote engine from settings: each endpoint's health, and DEGRADED once it is gone. */
class RemoteHealthTest {
  @Test
  void healthListsEachEndpointAndTurnsDegradedWhenItsServerDies() throws Exception {
    TestModelServer server = TestModelServer.start("qwen-image-edit-f2p");
    try (ServiceHarness h = new ServiceHarness(Map.of("f2p.engine.type", "remote", "f2p.engine.protocol", "openai",
        "f2p.engine.endpoints", server.url() + "*3", "f2p.engine.model", "qwen-image-edit-f2p",
        "f2p.engine.allow-plaintext-loopback", "true", "f2p.engine.health-interval", "1s",
        "f2p.engine.probe-timeout", "500ms"), b -> {})) {
      HttpResponse<byte[]> up = h.get("/health", null);
      assertThat(up.statusCode()).as(body(up)).isEqualTo(200);
      assertThat(body(up)).contains(",\"devices\":[{\"name\":\"" + server.name() + "\",\"up\":true,\"inFlight\":0,"
          + "\"capacity\":3,\"ejections\":0,\"lastLatencyMs\":");

      server.close();
      long until = System.nanoTime() + 15_000_000_000L;
      HttpResponse<byte[]> down = h.get("/health", null);
      while (down.statusCode() == 200 && System.nanoTime() < until) {
        Thread.sleep(100);
        down = h.get("/health", null);
      }
      assertThat(down.statusCode()).as(body(down)).isEqualTo(503);
      assertThat(body(down)).contains("\"status\":\"DEGRADED\"", "\"up\":false", "\"ejections\":1");
    } finally {
      server.close();
    }
  }
}
