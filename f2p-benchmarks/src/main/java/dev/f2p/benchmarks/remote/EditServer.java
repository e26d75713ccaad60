package dev.f2p.benchmarks.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * An OpenAI images edit server for the benchmarks, on the JDK's HTTP server (Nagle off): it reads the whole
 * request and answers one {@value #WIDTH}x{@value #HEIGHT} PNG as {@code b64_json} after an optional delay,
 * the same bytes every time, so what is measured is the client.
 */
final class EditServer implements AutoCloseable {
  static final int WIDTH = 64;
  static final int HEIGHT = 48;
  static final String MODEL = "qwen-image-edit-f2p";

  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final byte[] answer;
  private final long delayMillis;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger peak = new AtomicInteger();

  EditServer(int port, long delayMillis, int threads) throws IOException {
    this.delayMillis = delayMillis;
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        image.setRGB(x, y, x * 3 << 16 | y * 5 << 8 | 0x50);
      }
    }
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    this.answer = ("{\"created\":0,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png.toByteArray())
        + "\"}]}").getBytes(StandardCharsets.US_ASCII);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    this.threads = Executors.newFixedThreadPool(threads);
    server.setExecutor(this.threads);
    server.createContext("/v1/models", this::models);
    server.createContext("/v1/images/edits", this::edit);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void models(HttpExchange x) throws IOException {
    drain(x.getRequestBody());
    send(x, ("{\"data\":[{\"id\":\"" + MODEL + "\"}]}").getBytes(StandardCharsets.US_ASCII));
  }

  private void edit(HttpExchange x) throws IOException {
    int now = inFlight.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
    try {
      drain(x.getRequestBody());
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      send(x, answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
    in.close();
  }

  private static void send(HttpExchange x, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(200, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
