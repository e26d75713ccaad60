package dev.f2p.examples.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's Python test model server ({@code f2p-engine-remote/src/test/python/model_server.py}, the one
 * the remote engine's tests run) in its own process on a free loopback port, started the same way: it prints
 * {@code PORT n} and then answers {@code /_test/stats}. Closing it ends the process.
 */
public final class TestModelServer implements AutoCloseable {
  private static final Path SCRIPT =
      Path.of("../f2p-engine-remote/src/test/python/model_server.py").toAbsolutePath().normalize();

  private final Process process;
  private final int port;

  private TestModelServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts a server serving {@code model}; skips the test where Python's FastAPI is missing, except on CI.
   *
   * @param model the model name it serves
   * @return the running server
   */
  public static TestModelServer start(String model) throws IOException, InterruptedException {
    boolean python = new ProcessBuilder("/usr/bin/python3", "-c", "import fastapi, uvicorn, multipart")
        .redirectErrorStream(true).start().waitFor() == 0;
    if (!python) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("python3 with fastapi and uvicorn is missing; .ci/run installs it");
      }
      Assumptions.abort("python3 with fastapi and uvicorn is missing (CI installs it)");
    }
    Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), "--model", model)
        .redirectErrorStream(true).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    if (first == null || !first.startsWith("PORT ")) {
      p.destroyForcibly();
      throw new IOException("model server did not start: " + first);
    }
    Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "model-server-drain");
    drain.setDaemon(true);
    drain.start();
    TestModelServer server = new TestModelServer(p, Integer.parseInt(first.substring(5).trim()));
    server.awaitListening();
    return server;
  }

  /** Its base address, {@code http://127.0.0.1:port}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code 127.0.0.1:port}, as the engine names the endpoint. */
  public String name() {
    return "127.0.0.1:" + port;
  }

  private void awaitListening() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        http.send(HttpRequest.newBuilder(URI.create(url() + "/_test/stats")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
