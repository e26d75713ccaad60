package dev.f2p.engine.remote.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A response body read into memory up to a limit counted while reading (a {@code Content-Length} is never
 * trusted): one byte over and the connection is dropped. {@link #cancel} drops it at any time, which is how
 * a call past its deadline closes the stream.
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

  private final long limit;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private long received;
  private volatile boolean cancelled;

  BoundedBody(long limit) {
    this.limit = limit;
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
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    // Flow's contract: onNext only follows onSubscribe.
    Flow.Subscription s = Objects.requireNonNull(subscription.get(), "onNext before onSubscribe");
    for (ByteBuffer b : items) {
      received += b.remaining();
      if (received > limit) {
        s.cancel();
        result.completeExceptionally(new TooLarge(limit));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
    s.request(1);
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toByteArray());
  }

  /** Drops the connection; the body's future fails. Safe from any thread, any number of times. */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription.get();
    if (s != null) {
      s.cancel();
    }
    result.completeExceptionally(new IOException("cancelled at the deadline"));
  }
}
