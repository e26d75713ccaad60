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
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

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
   * Sends and reads the whole answer within {@code timeout}; past it the exchange is cancelled, which closes
   * its connection. The exchange runs on the caller's thread as far as the client allows ({@code send}, not
   * {@code sendAsync}, which hands the exchange to the client's executor and its completion to the common
   * pool: two thread hand-offs per call that cost more than everything else the engine adds).
   *
   * <p>The deadline is the engine's {@link DeadlineWatch}'s, not the request's own {@code timeout}: the JDK
   * client wakes its selector thread to register every request's timer, a wake-up per call, and that timer
   * ends with the headers anyway. At the deadline the watch interrupts the caller blocked in {@code send},
   * which cancels the exchange whatever its phase (connecting, waiting for headers, reading the body); the
   * interrupt is the watch's own and is cleared before this returns. Requests given here must not carry a
   * timeout of their own.
   *
   * @param timeout the time the whole exchange may take
   * @param watch cuts the exchange at the deadline
   * @throws CallException NOT_STARTED when no connection was made, TIMEOUT past the time, BAD_ANSWER when
   *     the body is larger than {@code maxBytes}, FAILED for any other I/O failure (the server may have
   *     started)
   */
  static Answer exchange(HttpClient client, HttpRequest request, Duration timeout, long maxBytes,
      DeadlineWatch watch) throws CallException {
    if (request.timeout().isPresent()) {
      throw new IllegalArgumentException("the deadline watch bounds the exchange; the request has a timeout");
    }
    BlockedCaller caller = new BlockedCaller(System.nanoTime() + Math.max(1, timeout.toNanos()));
    watch.watch(caller);
    HttpResponse<byte[]> response = null;
    Exception failure = null;
    boolean cut;
    try {
      response = client.send(request, info -> new BoundedBody(maxBytes, announcedLength(info.headers())));
    } catch (InterruptedException | IOException | RuntimeException e) {
      failure = e;
    } finally {
      // Whatever send() ended with, an Error included: a caller still watched would be interrupted later.
      cut = caller.end(watch);
    }
    if (response != null) {
      return new Answer(response.statusCode(), response.headers(), response.body()); // a late cut is moot
    }
    Exception thrown = Objects.requireNonNull(failure, "send() returned no answer and threw nothing");
    if (cut) {
      // Also when the caller wrote to the socket itself and the channel closed under the interrupt.
      throw caller.failure(thrown);
    }
    if (thrown instanceof InterruptedException) {
      // send() has cancelled the exchange, which closes its connection; the interrupt was the host's.
      Thread.currentThread().interrupt();
      throw CallException.timeout("interrupted while waiting for the answer", thrown);
    }
    throw classify(thrown);
  }

  /**
   * The thread blocked in {@code send}, cut at its deadline by an interrupt. The states make sure the
   * interrupt is the watch's alone: once the caller has ended its watch no interrupt comes, and one that is
   * on its way is waited for and cleared.
   */
  private static final class BlockedCaller implements DeadlineWatch.Watched {
    private static final int RUNNING = 0;
    private static final int CUTTING = 1;
    private static final int CUT = 2;
    private static final int ENDED = 3;

    private final Thread thread = Thread.currentThread();
    private final long deadlineNanos;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile boolean closing;

    BlockedCaller(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public long deadlineNanos() {
      return deadlineNanos;
    }

    @Override
    public void cut(boolean closing) {
      if (state.compareAndSet(RUNNING, CUTTING)) {
        this.closing = closing;
        thread.interrupt();
        state.set(CUT);
      }
    }

    /**
     * Ends the watch over this call, on the caller's thread, once.
     *
     * @return whether the watch cut the call (its interrupt is then cleared)
     */
    boolean end(DeadlineWatch watch) {
      watch.unwatch(this);
      if (state.compareAndSet(RUNNING, ENDED)) {
        return false;
      }
      while (state.get() == CUTTING) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      return true;
    }

    /** What a call cut by the watch failed with. */
    CallException failure(Throwable cause) {
      return closing ? CallException.failed("the engine is closing", cause)
          : CallException.timeout("the answer did not arrive in time", cause);
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
   * Sorts a failure of the exchange that the deadline watch did not cause. Requests carry no timeout of their
   * own, so a timeout here is the client's connect timer.
   */
  static CallException classify(Throwable t) {
    if (connectTimedOut(t)) {
      // Never started either, but a slow connect may be load, not death: move on without ejecting.
      return CallException.busy(Duration.ZERO, "connection not made in time");
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BoundedBody.TooLarge tooLarge) {
        return CallException.badAnswer(tooLarge.getMessage());
      }
      if (c instanceof ConnectException || c instanceof UnresolvedAddressException) {
        return CallException.unreachable("no connection: " + c.getClass().getSimpleName(), t);
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
   * {@code HttpTimeoutException("request timed out")} (its cause, {@code ConnectException("HTTP connect timed
   * out")}, is dropped by {@code send}): either way nothing reached the server. Requests carry no timeout of
   * their own, so the connect timer is the only one there is.
   */
  private static boolean connectTimedOut(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.http.HttpTimeoutException
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
