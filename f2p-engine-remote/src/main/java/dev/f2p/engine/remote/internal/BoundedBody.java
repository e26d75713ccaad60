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
 * trusted): one byte over and the connection is dropped. The call's deadline goes on while the body arrives:
 * the engine's {@link DeadlineWatch} drops the connection when it passes (the request's own timeout covers
 * only the wait for the headers), and {@link #cancel} drops it at any time.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]>, DeadlineWatch.Watched {
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

  /** Thrown through the body's future when the call's deadline passed while the body was arriving. */
  static final class PastDeadline extends IOException {
    private static final long serialVersionUID = 1L;

    PastDeadline() {
      super("the answer did not arrive before the deadline");
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
  private volatile boolean cancelled;
  private final long deadlineNanos;
  private final DeadlineWatch watch;

  /**
   * @param limit the most bytes read (at most 1 GiB)
   * @param expected the length the server announced, -1 for none: only a hint for the first buffer
   * @param deadlineNanos the {@link System#nanoTime()} at which the call's time is up
   * @param watch cuts the body at the deadline if it is still arriving; it stops watching once the body is whole
   *     or failed
   */
  BoundedBody(long limit, long expected, long deadlineNanos, DeadlineWatch watch) {
    this.limit = limit;
    this.bytes = new byte[(int) Math.max(0, Math.min(expected, Math.min(limit, MAX_PRESIZE)))];
    this.deadlineNanos = deadlineNanos;
    this.watch = watch;
  }

  /**
   * Watches the deadline unless the body is already whole: an answer that came with its headers is delivered
   * while {@link #onSubscribe} asks for it. Whatever arrives later is cut at the deadline.
   */
  private void watchDeadline() {
    if (result.isDone()) {
      return;
    }
    watch.watch(this);
    result.whenComplete((b, t) -> watch.unwatch(this));
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public void cut(boolean closing) {
    cancel(closing ? new IOException("the engine is closing") : new PastDeadline());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    if (!subscription.compareAndSet(null, s) || cancelled) {
      s.cancel();
      return;
    }
    // All the demand at once (the client's own flow control bounds what it buffers); the count below is the
    // bound. Asking one buffer at a time made the client reschedule its reader for every buffer.
    s.request(Long.MAX_VALUE);
    watchDeadline();
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

  /** Drops the connection; the body's future fails with {@code why}. Safe from any thread, any number of times. */
  void cancel(IOException why) {
    cancelled = true;
    Flow.Subscription s = subscription.get();
    if (s != null) {
      s.cancel();
    }
    result.completeExceptionally(why);
  }
}
