package dev.f2p.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ten times the admitted requests, from many threads against one key, at the service running in a JVM
 * of its own with a 256 MiB heap: exactly the admitted number succeed, everything else is 429 (or 503),
 * and the service is still up, holds no lease and has its heap back afterwards.
 */
class FloodTest {
  private static final int ADMITTED = 20;
  private static final int REQUESTS = 10 * ADMITTED;
  private static final int THREADS = 32;

  @Test
  void aFloodAgainstOneKeyGetsExactlyTheQuotaAndLeavesTheServiceUp() throws Exception {
    try (ChildJvm child = new ChildJvm("256m", FloodServer.class, Integer.toString(ADMITTED), "256")) {
      int port = Integer.parseInt(child.await("PORT ").substring(5).trim());
      Map<Integer, AtomicInteger> statuses = flood(port);

      assertThat(statuses.keySet()).isSubsetOf(200, 429, 503);
      assertThat(statuses.get(200)).as("%s", statuses).hasValue(ADMITTED);
      int refused = statuses.getOrDefault(429, new AtomicInteger()).get()
          + statuses.getOrDefault(503, new AtomicInteger()).get();
      assertThat(refused).isEqualTo(REQUESTS - ADMITTED);

      HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      child.send("stats");
      Map<String, Long> stats = parse(child.await("STATS "));
      assertThat(stats.get("leases")).isZero();
      assertThat(stats.get("engineCalls")).isEqualTo(ADMITTED);
      assertThat(stats.get("heapMax")).isLessThanOrEqualTo(256L * 1024 * 1024);
      assertThat(stats.get("heapUsed")).isLessThan(128L * 1024 * 1024);

      child.send("stop");
      assertThat(child.await("STOPPED ")).contains("drained=true", "engineClosed=true");
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process.exitValue()).isZero();
      assertThat(child.output()).doesNotContain("OutOfMemoryError");
    }
  }

  private static Map<Integer, AtomicInteger> flood(int port) throws Exception {
    byte[] body = ServiceHarness.form("a portrait").build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/generate"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", Multipart.contentType())
        .header("X-API-Key", ServiceHarness.USER_KEY).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger sent = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(pool.submit(() -> {
        while (sent.incrementAndGet() <= REQUESTS && System.nanoTime() < deadline) {
          HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
          statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> w : workers) {
      w.get(90, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return statuses;
  }

  private static Map<String, Long> parse(String line) {
    Map<String, Long> out = new ConcurrentHashMap<>();
    for (String pair : line.substring(line.indexOf(' ') + 1).split(" ")) {
      String[] kv = pair.split("=");
      out.put(kv[0], Long.parseLong(kv[1]));
    }
    return out;
  }
}
