package dev.f2p.examples.http;

import static dev.f2p.examples.http.ServiceHarness.USER_KEY;
import static dev.f2p.examples.http.ServiceHarness.assertProblem;
import static dev.f2p.examples.http.ServiceHarness.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Body limits, the read deadline, the concurrency cap and graceful shutdown. */
class LimitsAndShutdownTest {
  private static final int LIMIT = 64 * 1024;

  private static HttpRequest slowRequest(ServiceHarness h) {
    return HttpRequest.newBuilder(h.uri("/generate")).header("Content-Type", Multipart.contentType())
        .header("X-API-Key", USER_KEY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form("a slow portrait").build())).build();
  }

  private static CompletableFuture<HttpResponse<byte[]>> startSlow(ServiceHarness h) throws InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> slow = h.http.sendAsync(slowRequest(h),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(h.state.slowStarted.await(20, TimeUnit.SECONDS)).as("slow request reached the engine").isTrue();
    return slow;
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeReadingIt() {
    try (ServiceHarness h = new ServiceHarness(Map.of(), b -> b.maxBodyBytes(LIMIT))) {
      byte[] big = new Multipart().file("image", new byte[LIMIT * 2]).text("prompt", "p").build();
      assertProblem(h.generate(USER_KEY, big), 413, Problem.BODY_TOO_LARGE);
      assertThat(bodyBytesRead(h)).isZero();
    }
  }

  @Test
  void aStreamedBodyIsCutOffAsSoonAsItCrossesTheLimit() {
    try (ServiceHarness h = new ServiceHarness(Map.of(), b -> b.maxBodyBytes(LIMIT))) {
      byte[] head = new Multipart().text("prompt", "p").raw("--" + Multipart.BOUNDARY + "\r\n"
          + "Content-Disposition: form-data; name=\"image\"\r\n\r\n").unterminated();
      long total = 64L * 1024 * 1024;
      AtomicLong pulled = new AtomicLong();
      // No Content-Length: the client streams (chunked) 64 MiB that never ends in a boundary.
      HttpRequest request = HttpRequest.newBuilder(h.uri("/generate"))
          .header("Content-Type", Multipart.contentType()).header("X-API-Key", USER_KEY)
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Endless(head, total, pulled))).build();
      HttpResponse<byte[]> r;
      try {
        r = h.send(request);
      } catch (RuntimeException e) {
        // The server may close the connection before the client sees the 413; what matters is below.
        r = null;
      }
      if (r != null) {
        assertProblem(r, 413, Problem.BODY_TOO_LARGE);
      }
      assertThat(bodyBytesRead(h)).isBetween((double) LIMIT, LIMIT + 1.0);
      assertThat(pulled.get()).isLessThan(total);
    }
  }

  @Test
  void aClientThatSendsTooSlowlyGets408() {
    AtomicLong now = new AtomicLong();
    // Every look at the clock is 31 s later: the first read is already past the 30 s deadline.
    long step = Duration.ofSeconds(31).toNanos();
    try (ServiceHarness h = new ServiceHarness(Map.of(),
        b -> b.readTimeout(Duration.ofSeconds(30)).ticker(() -> now.getAndAdd(step)))) {
      assertProblem(h.generate(USER_KEY, form("a portrait").build()), 408, "TIMEOUT");
    }
  }

  @Test
  void overTheConcurrencyCapIs503AtOnce() throws Exception {
    try (ServiceHarness h = new ServiceHarness(Map.of(), b -> b.maxConcurrent(1))) {
      CompletableFuture<HttpResponse<byte[]>> slow = startSlow(h);
      HttpResponse<byte[]> busy = HttpClient.newHttpClient().send(HttpRequest.newBuilder(h.uri("/generate"))
          .header("Content-Type", Multipart.contentType()).header("X-API-Key", USER_KEY)
          .POST(HttpRequest.BodyPublishers.ofByteArray(form("a portrait").build())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertProblem(busy, 503, "OVERLOADED");
      assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
      // Health checks are not counted against the cap.
      assertThat(h.get("/health", null).statusCode()).isEqualTo(200);
      h.state.slowRelease.countDown();
      assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aFullResourceGuardIs503WithItsRetryAfter() throws Exception {
    try (ServiceHarness h = new ServiceHarness(Map.of("f2p.resource-guard.slots", "1"), b -> {})) {
      CompletableFuture<HttpResponse<byte[]>> slow = startSlow(h);
      HttpResponse<byte[]> busy = HttpClient.newHttpClient().send(HttpRequest.newBuilder(h.uri("/generate"))
          .header("Content-Type", Multipart.contentType()).header("X-API-Key", ServiceHarness.ADMIN_KEY)
          .POST(HttpRequest.BodyPublishers.ofByteArray(form("a portrait").build())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertProblem(busy, 503, "OVERLOADED");
      assertThat(busy.headers().firstValue("Retry-After")).hasValue("2");
      assertThat(busy.headers().firstValue("RateLimit")).isPresent();
      h.state.slowRelease.countDown();
      assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void stopLetsTheInFlightRequestFinishRefusesNewConnectionsAndClosesTheEngine() throws Exception {
    ServiceHarness h = new ServiceHarness();
    int port = h.service.port();
    CompletableFuture<HttpResponse<byte[]>> slow = startSlow(h);

    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> h.service.stop(Duration.ofSeconds(20)));
    awaitRefused(port);
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(h.uri("/health")).build(), HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(ConnectException.class);
    assertThat(stopped).isNotDone();
    assertThat(h.state.engineClosed).isFalse();

    h.state.slowRelease.countDown();
    HttpResponse<byte[]> finished = slow.get(20, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(stopped.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(h.state.openLeases).hasValue(0);
    assertThat(h.state.engineClosed).isTrue();
  }

  /** Connects until the listener is gone; bounded, so a listener that stays fails the test. */
  private static void awaitRefused(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (IOException refused) {
        return;
      }
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new AssertionError("the service still accepts connections");
  }

  private static double bodyBytesRead(ServiceHarness h) {
    return h.service.meterRegistry().get("f2p.http.body.read").counter().count();
  }

  /** {@code head}, then filler bytes up to {@code total}, counting what the client pulled. */
  private static final class Endless extends InputStream {
    private final byte[] head;
    private final long total;
    private final AtomicLong pulled;

    Endless(byte[] head, long total, AtomicLong pulled) {
      this.head = head;
      this.total = total;
      this.pulled = pulled;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      long at = pulled.get();
      if (at >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - at);
      for (int i = 0; i < n; i++) {
        long p = at + i;
        b[off + i] = p < head.length ? head[(int) p] : (byte) 'x';
      }
      pulled.addAndGet(n);
      return n;
    }
  }
}
