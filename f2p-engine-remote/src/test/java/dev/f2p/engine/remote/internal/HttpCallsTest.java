package dev.f2p.engine.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  @Test
  void aRequestTimeoutAfterTheConnectionIsATimeout() {
    assertThat(HttpCalls.classify(new HttpTimeoutException("request timed out")).kind())
        .isEqualTo(CallException.Kind.TIMEOUT);
    assertThat(HttpCalls.classify(new ConnectException("Connection refused")).kind())
        .isEqualTo(CallException.Kind.NOT_STARTED);
    assertThat(HttpCalls.classify(new ConnectException("Connection refused")).busy()).isFalse();
  }

  @Test
  void aPlainTimeoutWellBeforeTheDeadlineIsTheConnectTimerWhoseCauseSendDropped() {
    CallException early = HttpCalls.classify(new HttpTimeoutException("request timed out"), true);
    assertThat(early.kind()).isEqualTo(CallException.Kind.NOT_STARTED);
    assertThat(early.busy()).isTrue();
    assertThat(HttpCalls.classify(new HttpTimeoutException("request timed out"), false).kind())
        .isEqualTo(CallException.Kind.TIMEOUT);
  }

  /**
   * A server that sends its headers and then stalls the body: the request's own timeout no longer applies
   * (it ends with the headers), so the deadline watch must cut the connection at the deadline.
   */
  @Test
  void aBodyStalledAfterTheHeadersIsCutAtTheDeadline() throws Exception {
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline");
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Integer> afterStall = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().read(new byte[8192]);
          s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{\"data\":")
              .getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          return s.getInputStream().read(); // -1 once the client has closed the connection
        } catch (IOException e) {
          return -2;
        }
      });
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Duration timeout = Duration.ofMillis(300);
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x"))
          .timeout(timeout).GET().build();
      assertThatThrownBy(() -> HttpCalls.exchange(client, request, 1 << 20, watch))
          .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.kind()).isEqualTo(CallException.Kind.TIMEOUT));
      assertThat(afterStall.get(10, TimeUnit.SECONDS)).as("the connection was closed").isEqualTo(-1);
    }
  }
}
