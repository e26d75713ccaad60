package dev.f2p.engine.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
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
}
