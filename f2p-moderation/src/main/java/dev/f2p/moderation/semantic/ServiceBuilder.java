package dev.f2p.moderation.semantic;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The options both adapters' builders share. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
public abstract class ServiceBuilder<B extends ServiceBuilder<B>> {
  final Endpoint endpoint = new Endpoint();

  ServiceBuilder() {}

  abstract B self();

  /**
   * The service's base URL, such as {@code http://guard:8000/v1}; the API's path is added.
   *
   * @param baseUrl the URL, http or https, without user info or query
   * @return this builder
   */
  public B endpoint(URI baseUrl) {
    endpoint.base(baseUrl);
    return self();
  }

  /**
   * The environment variable holding the bearer key, read when built.
   *
   * @param name the variable's name
   * @return this builder
   */
  public B apiKeyEnvironmentVariable(String name) {
    endpoint.keyVariable(name);
    return self();
  }

  /**
   * Time for the whole exchange, headers and body; default 2 seconds, at most 2 minutes.
   *
   * @param timeout the time
   * @return this builder
   */
  public B timeout(Duration timeout) {
    endpoint.timeout(timeout);
    return self();
  }

  /**
   * Most bytes of an answer; default 65,536. A larger answer is cut off and fails.
   *
   * @param bytes 256 to 16 MiB
   * @return this builder
   */
  public B maxResponseBytes(int bytes) {
    endpoint.maxResponseBytes(bytes);
    return self();
  }

  /**
   * The HTTP client to use (proxies, TLS); by default one that follows no redirects.
   *
   * @param client the client
   * @return this builder
   */
  public B httpClient(HttpClient client) {
    endpoint.client = Objects.requireNonNull(client, "client");
    return self();
  }

  /** Where keys are looked up; the process environment unless a test says otherwise. */
  B environment(Function<String, String> environment) {
    endpoint.environment = Objects.requireNonNull(environment, "environment");
    return self();
  }

  static String checkModel(String model) {
    Objects.requireNonNull(model, "model");
    if (model.isBlank() || model.length() > 200) {
      throw new IllegalArgumentException("model must be 1..200 characters");
    }
    return model;
  }
}
