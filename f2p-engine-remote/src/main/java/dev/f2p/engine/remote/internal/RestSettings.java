package dev.f2p.engine.remote.internal;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * What every REST transport shares: the HTTP client (TLS material, HTTP/1.1, bounded executor), the bearer
 * token if any, the pinned model and the answer limit.
 *
 * @param client the shared client
 * @param bearerToken sent as {@code Authorization: Bearer}; empty for none (mTLS alone)
 * @param modelName the pinned model name
 * @param modelVersion the pinned version; empty for none
 * @param maxAnswerBytes the most bytes read from any answer
 * @param executor the client's threads, shut down with the transport
 */
public record RestSettings(HttpClient client, Optional<String> bearerToken, String modelName,
    Optional<String> modelVersion, long maxAnswerBytes, ExecutorService executor) {
  /** Adds the bearer token when there is one. */
  HttpRequest.Builder authorize(HttpRequest.Builder b) {
    bearerToken.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  @Override
  public String toString() {
    return "RestSettings{model=" + modelName + ", version=" + modelVersion.orElse("") + ", bearer="
        + (bearerToken.isPresent() ? "set" : "none") + ", maxAnswerBytes=" + maxAnswerBytes + '}';
  }
}
