package dev.f2p.engine.remote.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP exchange with a model server, the same way for every REST transport: a bounded body, the call
 * cancelled (its connection closed) when its time is up, failures sorted into what may be retried elsewhere
 * and what may not.
 */
final class HttpCalls {
  /** The longest retry-after passed on, whatever a server says. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

  /** A response read whole: status, headers, bounded body. */
  record Answer(int status, HttpHeaders headers, byte[] body) {}

  private HttpCalls() {}

  /**
   * Sends and reads the whole answer within the request's own timeout, which every request to a model server
   * carries; past it the connection is dropped. The exchange
   * runs on the caller's thread as far as the client allows ({@code send}, not {@code sendAsync}, which hands
   * the exchange to the client's executor and its completion to the common pool: two thread hand-offs per
   * call that cost more than everything else the engine adds). The request's timeout bounds the wait for the
   * headers; the {@link DeadlineWatch} bounds the body, to the same deadline.
   *
   * @param watch cuts the body at the deadline
   * @throws CallException NOT_STARTED when no connection was made, TIMEOUT past the time, BAD_ANSWER when
   *     the body is larger than {@code maxBytes}, FAILED for any other I/O failure (the server may have
   *     started)
   */
  static Answer exchange(HttpClient client, HttpRequest request, long maxBytes, DeadlineWatch watch)
      throws CallException {
    // Read from the request, not passed beside it: an early timeout is told from the request's by this deadline.
    Duration timeout = request.timeout().orElseThrow(
        () -> new IllegalArgumentException("a request to a model server needs its timeout: " + request.uri()));
    long start = System.nanoTime();
    long deadline = start + Math.max(1, timeout.toNanos());
    try {
      HttpResponse<byte[]> response = client.send(request,
          info -> new BoundedBody(maxBytes, announcedLength(info.headers()), deadline, watch));
      return new Answer(response.statusCode(), response.headers(), response.body());
    } catch (InterruptedException e) {
      // send() has cancelled the exchange, which closes its connection.
      Thread.currentThread().interrupt();
      throw CallException.timeout("interrupted while waiting for the answer", e);
    } catch (IOException | RuntimeException e) {
      throw classify(e, deadline - System.nanoTime() > TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** The server's {@code Content-Length}, -1 when absent or unreadable (it is only a hint). */
  private static long announcedLength(HttpHeaders headers) {
    try {
      return headers.firstValueAsLong("Content-Length").orElse(-1);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Sorts a failure of the exchange.
   *
   * @param beforeDeadline whether it came well before the request's timeout: a plain timeout then can only be
   *     the connect timer's ({@code send} drops the cause that says so)
   */
  static CallException classify(Throwable t, boolean beforeDeadline) {
    if (beforeDeadline && t instanceof java.net.http.HttpTimeoutException) {
      return CallException.busy(Duration.ZERO, "connection not made in time");
    }
    return classify(t);
  }

  static CallException classify(Throwable t) {
    if (connectTimedOut(t)) {
      // Never started either, but a slow connect may be load, not death: move on without ejecting.
      return CallException.busy(Duration.ZERO, "connection not made in time");
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BoundedBody.TooLarge tooLarge) {
        return CallException.badAnswer(tooLarge.getMessage());
      }
      if (c instanceof BoundedBody.PastDeadline) {
        return CallException.timeout("the answer did not arrive in time", t);
      }
      if (c instanceof ConnectException && !(c instanceof HttpConnectTimeoutException)
          || c instanceof UnresolvedAddressException) {
        return CallException.unreachable("no connection: " + c.getClass().getSimpleName(), t);
      }
      if (c instanceof java.net.http.HttpTimeoutException) {
        return CallException.timeout("the server did not answer in time", t);
      }
    }
    if (t instanceof IOException || t.getCause() instanceof IOException) {
      return CallException.failed("connection failed during the exchange: " + t.getClass().getSimpleName(), t);
    }
    return CallException.failed("the exchange failed: " + t.getClass().getSimpleName(), t);
  }

  /**
   * Whether the connection was never made in time. JDK 17's client says so as {@link HttpConnectTimeoutException}
   * or, when the connect timer fires while the request is queued for a connection, as a plain
   * {@code HttpTimeoutException("request timed out")} caused by {@code ConnectException("HTTP connect timed
   * out")}: either way nothing reached the server, so it is not a request timeout.
   */
  private static boolean connectTimedOut(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof HttpConnectTimeoutException
          || c instanceof ConnectException && String.valueOf(c.getMessage()).contains("connect timed out")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sorts a non-2xx status: 429 and 503 mean the server did no work and is busy; anything else may have
   * started it.
   */
  static CallException status(int status, HttpHeaders headers) {
    if (status == 429 || status == 503) {
      return CallException.busy(retryAfter(headers), "server busy: HTTP " + status);
    }
    return CallException.failed("server answered HTTP " + status);
  }

  /** The server's {@code Retry-After} (seconds or an HTTP date), at most {@link #MAX_RETRY_AFTER}; zero if none. */
  static Duration retryAfter(HttpHeaders headers) {
    String v = headers.firstValue("Retry-After").orElse("").trim();
    if (v.isEmpty()) {
      return Duration.ZERO;
    }
    Duration d;
    if (v.chars().allMatch(Character::isDigit) && v.length() <= 9) {
      d = Duration.ofSeconds(Long.parseLong(v));
    } else {
      try {
        d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException e) {
        return Duration.ZERO;
      }
    }
    if (d.isNegative()) {
      return Duration.ZERO;
    }
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }
}
