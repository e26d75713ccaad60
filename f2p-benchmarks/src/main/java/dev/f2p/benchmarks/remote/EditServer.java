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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A model server for the benchmarks, on the JDK's HTTP server (Nagle off): the OpenAI images edit API (one
 * {@value #WIDTH}x{@value #HEIGHT} PNG as {@code b64_json}) and the Open Inference Protocol over REST (the
 * same PNG as a BYTES tensor in Triton's binary extension). It reads the whole request and answers after an
 * optional delay, the same bytes every time, so what is measured is the client.
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
  /** The answer's PNG. */
  final byte[] png;
  private final byte[] inferHeader;
  private final byte[] inferBody;
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
    this.png = png.toByteArray();
    this.answer = ("{\"created\":0,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png.toByteArray())
        + "\"}]}").getBytes(StandardCharsets.US_ASCII);
    byte[] tensor = ByteBuffer.allocate(4 + png.size()).order(ByteOrder.LITTLE_ENDIAN).putInt(png.size())
        .put(png.toByteArray()).array();
    this.inferHeader = ("{\"model_name\":\"" + MODEL + "\",\"outputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\","
        + "\"shape\":[1],\"parameters\":{\"binary_data_size\":" + tensor.length + "}}]}").getBytes(StandardCharsets.US_ASCII);
    this.inferBody = ByteBuffer.allocate(inferHeader.length + tensor.length).put(inferHeader).put(tensor).array();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    this.threads = Executors.newFixedThreadPool(threads);
    server.setExecutor(this.threads);
    server.createContext("/v1/models", this::models);
    server.createContext("/v1/images/edits", this::edit);
    server.createContext("/v2/", this::oip);
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

  /** OIP REST: readiness, the model's metadata and {@code infer} (binary answer). */
  private void oip(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    if (path.endsWith("/infer")) {
      drain(x.getRequestBody());
      x.getResponseHeaders().set("Content-Type", "application/octet-stream");
      x.getResponseHeaders().set("Inference-Header-Content-Length", Integer.toString(inferHeader.length));
      x.sendResponseHeaders(200, inferBody.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(inferBody);
      }
      return;
    }
    drain(x.getRequestBody());
    send(x, path.equals("/v2/models/" + MODEL) ? ("{\"name\":\"" + MODEL + "\",\"versions\":[]}")
        .getBytes(StandardCharsets.US_ASCII) : "{}".getBytes(StandardCharsets.US_ASCII));
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
