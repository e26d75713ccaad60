package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python test model server ({@code src/test/python/model_server.py}) in its own process on a free loopback
 * port: both REST protocols, faults switched at run time. Closing it kills the process.
 */
final class ModelServer implements AutoCloseable {
  static final Path SCRIPT = Path.of("src/test/python/model_server.py").toAbsolutePath();
  private static final HttpClient CONTROL = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;

  private ModelServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a server for {@code model} (and {@code version}, empty for none) with extra arguments. */
  static ModelServer start(String model, String version, String... extra) throws IOException {
    Tools.require("/usr/bin/python3 with fastapi and uvicorn", Tools.pythonServerAvailable());
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--model", model,
        "--version", version));
    command.addAll(List.of(extra));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new IOException("model server did not start: " + line);
    }
    int port = Integer.parseInt(line.substring(5).trim());
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // keep the pipe empty
        }
      } catch (IOException e) {
        // process gone
      }
    }, "model-server-drain");
    drain.setDaemon(true);
    drain.start();
    ModelServer server = new ModelServer(p, port);
    server.awaitListening(List.of(extra).contains("--certfile"));
    return server;
  }

  /** Waits for the control path to answer, or with TLS (whose control path tests do not use) for a connection. */
  private void awaitListening(boolean tls) throws IOException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < until) {
      try {
        if (tls) {
          new java.net.Socket("127.0.0.1", port).close();
        } else {
          get("/_test/stats");
        }
        return;
      } catch (IOException e) {
        sleep(50);
      }
    }
    throw new IOException("model server on port " + port + " never answered");
  }

  int port() {
    return port;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Switches the fault the server injects. */
  void fault(String fault, double delaySeconds) throws IOException {
    post("/_test/fault", "{\"fault\":\"" + fault + "\",\"delay\":" + delaySeconds + "}");
  }

  void fault(String fault) throws IOException {
    fault(fault, 0);
  }

  /** Requests the protocol paths received, clients that hung up during a slow answer, the last request. */
  JsonObject stats() throws IOException {
    return JsonParser.parseString(get("/_test/stats")).getAsJsonObject();
  }

  int requests() throws IOException {
    return stats().get("requests").getAsInt();
  }

  JsonObject last() throws IOException {
    return stats().getAsJsonObject("last");
  }

  private String get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri().resolve(path)).timeout(Duration.ofSeconds(5)).GET().build());
  }

  private void post(String path, String json) throws IOException {
    send(HttpRequest.newBuilder(uri().resolve(path)).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private static String send(HttpRequest request) throws IOException {
    try {
      HttpResponse<String> r = CONTROL.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("test server control").isEqualTo(200);
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
