package dev.f2p.examples.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * A request body read with a byte limit and a deadline, both checked on every read: the limit fails with
 * 413 as soon as the body crosses it (nothing beyond it is buffered), the deadline with 408 for a client
 * that trickles bytes. A client that sends nothing at all blocks in the socket read; the JDK server's own
 * request timer ({@code sun.net.httpserver.maxReqTime}) closes that connection. Not thread-safe.
 */
final class BoundedBody {
  private final InputStream in;
  private final long limit;
  private final long deadlineNanos;
  private final LongSupplier ticker;
  private long read;

  BoundedBody(InputStream in, long limit, long deadlineNanos, LongSupplier ticker) {
    this.in = in;
    this.limit = limit;
    this.deadlineNanos = deadlineNanos;
    this.ticker = ticker;
  }

  /** Reads up to {@code len} bytes; -1 at the end of the body. */
  int read(byte[] buf, int off, int len) throws IOException, Problem.Failure {
    if (ticker.getAsLong() - deadlineNanos > 0) {
      throw new Problem.Failure(Problem.of(408, dev.f2p.core.ReasonCode.TIMEOUT.name(),
          "The request body was not received in time."));
    }
    // Ask for one byte more than the limit allows, so crossing it is seen at once.
    long allowed = limit - read + 1;
    int n = in.read(buf, off, (int) Math.min(len, allowed));
    if (n > 0) {
      read += n;
      if (read > limit) {
        throw new Problem.Failure(Problem.of(413, Problem.BODY_TOO_LARGE, "The request body is too large."));
      }
    }
    return n;
  }

  /** Bytes read so far. */
  long bytesRead() {
    return read;
  }
}
