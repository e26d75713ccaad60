package dev.f2p.moderation.semantic;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One JSON POST to a moderation service: one deadline for the whole exchange (a server that trickles its
 * answer fails like one that never answers), the key as a bearer token, the answer read to at most
 * {@code maxBytes} (a larger one is cut off and fails), anything but 200 a failure. Thread-safe: the JDK
 * client is.
 */
final class ServiceCall {
  private final HttpClient client;
  private final URI uri;
  private final Optional<String> key;
  private final Duration timeout;
  private final int maxBytes;

  ServiceCall(HttpClient client, URI uri, Optional<String> key, Duration timeout, int maxBytes) {
    this.client = client;
    this.uri = uri;
    this.key = key;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  /** A client of the JDK that follows no redirects (a key must not travel to another host). */
  static HttpClient defaultClient(Duration connectTimeout) {
    return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Posts {@code json}; the parsed answer, all within the timeout (headers and body). */
  @Nullable Object post(String json) throws ModerationException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    key.ifPresent(k -> b.header("Authorization", "Bearer " + k));
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(b.build(), info -> new Limited(info, maxBytes));
    HttpResponse<byte[]> response;
    try {
      response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ModerationException("moderation service " + uri.getHost() + " did not answer within " + timeout);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ModerationException m) {
        throw m;
      }
      throw new ModerationException("moderation service " + uri.getHost() + " failed: "
          + (cause == null ? "?" : cause.getClass().getSimpleName()));
    }
    if (response.statusCode() != 200) {
      throw new ModerationException("moderation service " + uri.getHost() + " answered HTTP " + response.statusCode());
    }
    return Json.parse(new String(response.body(), StandardCharsets.UTF_8));
  }

  /** Collects a body up to a limit; beyond it, cancels the stream and fails. */
  private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int maxBytes;
    private final boolean failed;
    private Flow.@Nullable Subscription subscription;

    Limited(HttpResponse.ResponseInfo info, int maxBytes) {
      this.maxBytes = maxBytes;
      // An error status is refused without reading its body.
      this.failed = info.statusCode() != 200;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (failed) {
        s.cancel();
        result.complete(new byte[0]);
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        if (out.size() + item.remaining() > maxBytes) {
          Objects.requireNonNull(subscription, "onSubscribe comes first").cancel();
          result.completeExceptionally(new ModerationException("moderation service answer exceeds " + maxBytes + " bytes"));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
