package dev.f2p.engine.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prism ({@code @stoplight/prism-cli}) as a validating proxy in front of a test server: every request and
 * response passing through is checked against the shared {@code rest_predict_v2.yaml}. The specification
 * writes path templates as {@code ${NAME}}, which Prism reads literally, so a copy with {@code {NAME}} is made
 * in a temporary directory at test time (never committed).
 */
final class Prism implements AutoCloseable {
  private final Process process;
  private final int port;
  private final List<String> log = new ArrayList<>();

  private Prism(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Prism proxy(URI upstream, Path workDir) throws IOException {
    Path prism = Tools.prism().orElse(null);
    Tools.require("Prism (npm @stoplight/prism-cli@5.16.0)", prism != null);
    Path spec = Path.of(System.getProperty("f2p.shared.dir", "../../shared"), "oip-v2", "rest_predict_v2.yaml");
    Path patched = workDir.resolve("rest_predict_v2.yaml");
    Files.writeString(patched, Files.readString(spec, StandardCharsets.UTF_8).replace("${", "{"), StandardCharsets.UTF_8);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder(prism.toString(), "proxy", patched.toString(), upstream.toString(), "--errors",
        "-h", "127.0.0.1", "-p", Integer.toString(port)).redirectErrorStream(true).start();
    Prism proxy = new Prism(p, port);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (proxy.log) {
            proxy.log.add(line);
          }
        }
      } catch (IOException e) {
        // process gone
      }
    }, "prism-log");
    reader.setDaemon(true);
    reader.start();
    proxy.awaitListening();
    return proxy;
  }

  private void awaitListening() throws IOException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until && process.isAlive()) {
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri().resolve("/v2/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        ModelServer.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException("Prism did not start: " + log());
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Prism's output so far. */
  List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** The lines where Prism reported a request or response that breaks the specification. */
  List<String> violations() {
    return log().stream().filter(l -> l.contains("Violation") || l.contains("✖")).toList();
  }

  void clearLog() {
    synchronized (log) {
      log.clear();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
