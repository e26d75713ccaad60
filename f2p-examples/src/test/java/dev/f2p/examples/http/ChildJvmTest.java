package dev.f2p.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.examples.http.fakes.TestState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a JVM of its own can show: the JDK server's connection cap (read once per JVM) and the
 * command's SIGTERM shutdown hook.
 */
class ChildJvmTest {
  @Test
  void connectionsOverTheCapAreClosedOnAcceptAndTheServiceRecovers() throws Exception {
    try (ChildJvm child = new ChildJvm("128m", FloodServer.class, "5", "4")) {
      int port = Integer.parseInt(child.await("PORT ").substring(5).trim());
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
          idle.add(s);
        }
        try (Socket fifth = new Socket()) {
          fifth.connect(new InetSocketAddress("127.0.0.1", port), 5000);
          fifth.setSoTimeout(10_000);
          fifth.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(readAll(fifth.getInputStream())).as("no answer over the cap").isEmpty();
        } catch (IOException reset) {
          // closed while we wrote: refused all the same
        }
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
      int status = 0;
      for (int attempt = 0; attempt < 100 && status != 200; attempt++) {
        try {
          status = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException closedWhileTheServerCatchesUp) {
          TimeUnit.MILLISECONDS.sleep(50);
        }
      }
      assertThat(status).isEqualTo(200);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void sigtermLetsTheInFlightRequestFinishAndClosesTheEngine(@TempDir Path dir) throws Exception {
    Path settings = dir.resolve("f2p.properties");
    StringBuilder text = new StringBuilder();
    ServiceHarness.settings(TestState.create(), Map.of("f2p.engine.slow-time", "4s", "f2p.engine.announce", "true"))
        .forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Files.writeString(settings, text);
    try (ChildJvm child = new ChildJvm("256m", HttpServiceMain.class, "--settings", settings.toString(),
        "--port", "0", "--grace", "20s")) {
      String started = child.await("F2P Guard HTTP service on ");
      int port = Integer.parseInt(started.substring(started.lastIndexOf(':') + 1).trim());
      HttpClient http = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<byte[]>> slow = http.sendAsync(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/generate"))
          .header("Content-Type", Multipart.contentType()).header("X-API-Key", ServiceHarness.USER_KEY)
          .POST(HttpRequest.BodyPublishers.ofByteArray(ServiceHarness.form("a slow portrait").build())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      child.await("F2P-TEST slow request in the engine");

      // SIGTERM; Process.destroy() would also close our end of its output, ProcessHandle does not.
      child.process.toHandle().destroy();

      assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      child.await("F2P-TEST engine closed");
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hooks ran
    }
  }
}
