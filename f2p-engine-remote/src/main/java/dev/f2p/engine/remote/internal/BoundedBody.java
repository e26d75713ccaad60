package dev.f2p.engine.remote.internal;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A response body read into memory up to a limit counted while reading (a {@code Content-Length} is never
 * trusted): one byte over and the connection is dropped. The deadline is not its business: the engine's
 * {@link DeadlineWatch} cancels the whole exchange (see {@link HttpCalls#exchange}).
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** Thrown through the body's future when the answer is larger than allowed. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("answer larger than " + limit + " bytes");
    }

    /** Never null: always the message above. */
    @Override
    public String getMessage() {
      return Objects.requireNonNull(super.getMessage());
    }
  }

  /** The most room taken ahead on the server's word ({@code Content-Length}); beyond it, room grows as bytes come. */
  private static final int MAX_PRESIZE = 1 << 20;

  private final long limit;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
  // Written only by onNext, which the Flow contract serialises, and read by onComplete after it.
  private byte[] bytes;
  private int count;
  private long received;

  /**
   * @param limit the most bytes read (at most 1 GiB)
   * @param expected the length the server announced, -1 for none: only a hint for the first buffer
   */
  BoundedBody(long limit, long expected) {
    this.limit = limit;
    this.bytes = new byte[(int) Math.max(0, Math.min(expected, Math.min(limit, MAX_PRESIZE)))];
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    if (!subscription.compareAndSet(null, s)) {
      s.cancel();
      return;
    }
    // All the demand at once (the client's own flow control bounds what it buffers); the count below is the
    // bound. Asking one buffer at a time made the client reschedule its reader for every buffer.
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    // Flow's contract: onNext only follows onSubscribe.
    Flow.Subscription s = Objects.requireNonNull(subscription.get(), "onNext before onSubscribe");
    for (ByteBuffer b : items) {
      int n = b.remaining();
      received += n;
      if (received > limit) {
        s.cancel();
        result.completeExceptionally(new TooLarge(limit));
        return;
      }
      if (count + n > bytes.length) {
        // received <= limit <= 1 GiB, so neither size overflows.
        bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(count + n, 2L * bytes.length)));
      }
      b.get(bytes, count, n);
      count += n;
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(count == bytes.length ? bytes : Arrays.copyOf(bytes, count));
  }
}
