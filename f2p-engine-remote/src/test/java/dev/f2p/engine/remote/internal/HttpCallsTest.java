package dev.f2p.engine.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * How client failures are sorted. A burst of 500 new connections made JDK 17 report connect timeouts as
 * {@code HttpTimeoutException("request timed out")} caused by {@code ConnectException("HTTP connect timed
 * out")}: that request never reached a server, so it must not be a request TIMEOUT (which forbids a retry).
 */
class HttpCallsTest {
  @Test
  void aConnectTimeoutInEitherShapeNeverStartedAndEjectsNothing() {
    HttpTimeoutException wrapped = new HttpTimeoutException("request timed out");
    wrapped.initCause(new ConnectException("HTTP connect timed out"));
    for (Throwable t : new Throwable[] {wrapped, new HttpConnectTimeoutException("HTTP connect timed out")}) {
      CallException e = HttpCalls.classify(t);
      assertThat(e.kind()).as(t.toString()).isEqualTo(CallException.Kind.NOT_STARTED);
      assertThat(e.busy()).as("busy, so the endpoint is not ejected").isTrue();
    }
  }

  /** Requests carry no timeout of their own (the deadline watch bounds them), so a timeout is the connect timer's. */
  @Test
  void aPlainTimeoutIsTheConnectTimersAndARefusedConnectionEjects() {
    CallException timeout = HttpCalls.classify(new HttpTimeoutException("request timed out"));
    assertThat(timeout.kind()).isEqualTo(CallException.Kind.NOT_STARTED);
    assertThat(timeout.busy()).isTrue();
    assertThat(HttpCalls.classify(new ConnectException("Connection refused")).kind())
        .isEqualTo(CallException.Kind.NOT_STARTED);
    assertThat(HttpCalls.classify(new ConnectException("Connection refused")).busy()).isFalse();
  }

  /**
   * A server that sends its headers and then stalls the body: the deadline watch must cut the connection at
   * the deadline, and the interrupt it cuts with must not stay on the caller's thread (a host's thread).
   */
  @Test
  void aBodyStalledAfterTheHeadersIsCutAtTheDeadline() throws Exception {
    assertCutAtTheDeadline("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{\"data\":", false);
  }

  /** Slowloris in reverse: a byte of the body every 20 ms, so no read ever waits long; the deadline still holds. */
  @Test
  void aBodyTrickledAByteAtATimeIsCutAtTheDeadline() throws Exception {
    assertCutAtTheDeadline("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", true);
  }

  /** A server that reads the request and never answers at all. */
  @Test
  void aServerThatNeverAnswersIsCutAtTheDeadline() throws Exception {
    assertCutAtTheDeadline("", false);
  }

  private static void assertCutAtTheDeadline(String sentBeforeStalling, boolean trickle) throws Exception {
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline");
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Integer> afterStall = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(new byte[8192]);
          s.getOutputStream().write(sentBeforeStalling.getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          if (trickle) {
            try {
              for (int i = 0; i < 500; i++) { // 10 s at most
                Thread.sleep(20);
                s.getOutputStream().write(' ');
                s.getOutputStream().flush();
              }
              return -3; // the client never hung up
            } catch (IOException closed) {
              return -1; // the client has closed the connection
            }
          }
          return s.getInputStream().read(); // -1 once the client has closed the connection
        } catch (IOException | InterruptedException e) {
          return -2;
        }
      });
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x"))
          .GET().build();
      long start = System.nanoTime();
      assertThatThrownBy(() -> HttpCalls.exchange(client, request, Duration.ofMillis(300), 1 << 20, watch))
          .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.kind()).isEqualTo(CallException.Kind.TIMEOUT));
      assertThat(System.nanoTime() - start).as("not before the deadline").isGreaterThanOrEqualTo(300_000_000L);
      assertThat(Thread.currentThread().isInterrupted()).as("the watch's interrupt was cleared").isFalse();
      assertThat(afterStall.get(10, TimeUnit.SECONDS)).as("the connection was closed").isEqualTo(-1);
    }
  }

  /** An interrupt from the host (not the deadline) ends the call and stays set for the host to see. */
  @Test
  void theHostsOwnInterruptEndsTheCallAndStaysSet() throws Exception {
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline");
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(); // hold the connection; never answer
          Thread.sleep(5_000);
        } catch (IOException | InterruptedException e) {
          // the client went away
        }
      });
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x"))
          .GET().build();
      Thread caller = Thread.currentThread();
      CompletableFuture.runAsync(() -> {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        caller.interrupt();
      });
      try {
        assertThatThrownBy(() -> HttpCalls.exchange(client, request, Duration.ofMinutes(1), 1 << 20, watch))
            .isInstanceOfSatisfying(CallException.class,
                e -> assertThat(e.getMessage()).contains("interrupted"));
        assertThat(Thread.currentThread().isInterrupted()).as("the host's interrupt is kept").isTrue();
      } finally {
        Thread.interrupted();
      }
    }
  }

  /**
   * A client that fails with an Error (out of memory, a stack overflow): the call must leave the watch all the
   * same, or the watch would interrupt the host's thread at the deadline, long after the call ended.
   */
  @Test
  void aCallEndedByAnErrorIsNoLongerWatchedSoItsThreadIsNeverInterruptedLater() throws Exception {
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline")) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/x")).GET().build();
      HttpClient failing = new FailingClient(new StackOverflowError("test"));
      assertThatThrownBy(() -> HttpCalls.exchange(failing, request, Duration.ofMillis(100), 1, watch))
          .isInstanceOf(StackOverflowError.class);
      Thread.sleep(400); // past the deadline and more than one tick
      assertThat(Thread.currentThread().isInterrupted()).as("no late interrupt from the watch").isFalse();
    } finally {
      Thread.interrupted();
    }
  }

  /** An HTTP client whose every exchange fails with the same throwable. */
  private static final class FailingClient extends HttpClient {
    private final Error error;

    FailingClient(Error error) {
      this.error = error;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      throw error;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
        HttpResponse.BodyHandler<T> handler) {
      throw error;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
        HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
      throw error;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      throw new UnsupportedOperationException();
    }

    @Override
    public SSLParameters sslParameters() {
      return new SSLParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }

  @Test
  void aRequestWithItsOwnTimeoutIsRefusedSinceTheWatchBoundsIt() throws Exception {
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline")) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/x")).timeout(Duration.ofSeconds(1))
          .GET().build();
      assertThatThrownBy(() -> HttpCalls.exchange(HttpClient.newHttpClient(), request, Duration.ofSeconds(1), 1,
          watch)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
