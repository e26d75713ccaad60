package dev.f2p.engine.remote.internal;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * What every REST transport shares: the HTTP clients (TLS material, HTTP/1.1, bounded executors), the bearer
 * token if any, the pinned model and the answer limit. Health checks have a client of their own: its own
 * connection pool, selector thread and executor, so a check never waits for a connection behind a burst of
 * requests, and its kept-alive connection does not queue in the server's accept backlog behind theirs.
 *
 * @param client the requests' client
 * @param probeClient the health checks' client
 * @param bearerToken sent as {@code Authorization: Bearer}; empty for none (mTLS alone)
 * @param modelName the pinned model name
 * @param modelVersion the pinned version; empty for none
 * @param maxAnswerBytes the most bytes read from any answer
 * @param executors the clients' threads, shut down with the transport
 * @param watch cuts exchanges still running at their deadline
 */
public record RestSettings(HttpClient client, HttpClient probeClient, Optional<String> bearerToken,
    String modelName, Optional<String> modelVersion, long maxAnswerBytes, java.util.List<ExecutorService> executors,
    DeadlineWatch watch) {
  /** Adds the bearer token when there is one. */
  HttpRequest.Builder authorize(HttpRequest.Builder b) {
    bearerToken.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  /** Stops the clients' threads and the deadline watch. */
  void close() {
    executors.forEach(ExecutorService::shutdownNow);
    watch.close();
  }

  @Override
  public String toString() {
    return "RestSettings{model=" + modelName + ", version=" + modelVersion.orElse("") + ", bearer="
        + (bearerToken.isPresent() ? "set" : "none") + ", maxAnswerBytes=" + maxAnswerBytes + '}';
  }
}
