package dev.f2p.moderation.semantic;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What both adapters' builders share: where the service is, the environment variable holding its key,
 * the timeout and the answer limit, validated in one place. Not thread-safe; the {@link ServiceCall} it
 * makes is.
 */
final class Endpoint {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

  @Nullable URI base;
  @Nullable String keyVariable;
  boolean keyRequired;
  Duration timeout = DEFAULT_TIMEOUT;
  int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
  @Nullable HttpClient client;
  Function<String, String> environment = System::getenv;

  void base(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint must be an http or https URL with a host: " + uri);
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null) {
      throw new IllegalArgumentException("endpoint must carry no user info or query (the key comes from the"
          + " environment): " + uri.getScheme() + "://" + uri.getHost());
    }
    this.base = uri;
  }

  void keyVariable(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
      throw new IllegalArgumentException("not an environment variable name: " + name);
    }
    this.keyVariable = name;
  }

  void timeout(Duration t) {
    Objects.requireNonNull(t, "timeout");
    if (t.isNegative() || t.isZero() || t.compareTo(Duration.ofMinutes(2)) > 0) {
      throw new IllegalArgumentException("timeout must be more than 0 and at most 2 minutes: " + t);
    }
    this.timeout = t;
  }

  void maxResponseBytes(int bytes) {
    if (bytes < 256 || bytes > 16 * 1024 * 1024) {
      throw new IllegalArgumentException("maxResponseBytes must be 256..16777216: " + bytes);
    }
    this.maxResponseBytes = bytes;
  }

  /** The call to {@code path} under the base URL; fails when a required key is missing. */
  ServiceCall call(String path) {
    if (base == null) {
      throw new IllegalStateException("endpoint is required");
    }
    Optional<String> key = Optional.empty();
    if (keyVariable != null) {
      String value = environment.apply(keyVariable);
      if (value == null || value.isBlank()) {
        throw new IllegalStateException("environment variable " + keyVariable + " holds no API key");
      }
      key = Optional.of(value.strip());
    } else if (keyRequired) {
      throw new IllegalStateException("an API key environment variable is required");
    }
    String b = base.toString();
    URI uri = URI.create(b.endsWith("/") ? b + path : b + "/" + path);
    return new ServiceCall(client != null ? client : ServiceCall.defaultClient(timeout), uri, key, timeout,
        maxResponseBytes);
  }
}
