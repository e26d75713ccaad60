package dev.f2p.engine.remote;

import dev.f2p.engine.remote.internal.DeadlineWatch;
import dev.f2p.engine.remote.internal.Endpoints;
import dev.f2p.engine.remote.internal.OipGrpcTransport;
import dev.f2p.engine.remote.internal.OipRestTransport;
import dev.f2p.engine.remote.internal.OpenAiTransport;
import dev.f2p.engine.remote.internal.Pem;
import dev.f2p.engine.remote.internal.RestSettings;
import dev.f2p.engine.remote.internal.Transport;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The remote engine's configuration, immutable once built: the protocol, the endpoints with their capacity,
 * the pinned model, the TLS material and credentials, the timeouts and the health tuning. Secrets (the bearer
 * token, the client key) are read when the engine is built and never appear in {@link #toString()}.
 */
public final class RemoteEngineConfig {
  /** Default upper bound of one call, whatever the request's deadline: {@value #DEFAULT_CALL_TIMEOUT_SECONDS} s. */
  public static final long DEFAULT_CALL_TIMEOUT_SECONDS = 300;
  /** Default connection timeout: 2 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Default interval of the active health checks: 5 s. */
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
  /** Default timeout of one health check: 2 s. */
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);
  /** Default consecutive failures that open an endpoint's circuit: {@value #DEFAULT_BREAKER_THRESHOLD}. */
  public static final int DEFAULT_BREAKER_THRESHOLD = 3;
  /** Default time a circuit stays open before one trial request: 10 s. */
  public static final Duration DEFAULT_BREAKER_OPEN_FOR = Duration.ofSeconds(10);
  /** Default largest answer read: {@value #DEFAULT_MAX_ANSWER_BYTES} bytes (32 MiB). */
  public static final long DEFAULT_MAX_ANSWER_BYTES = 32L << 20;
  /** Default retry-after when every endpoint is full and no server said one: 1 s. */
  public static final Duration DEFAULT_OVERLOADED_RETRY_AFTER = Duration.ofSeconds(1);
  /** Default threads that run the HTTP client's work (not one per request): {@value #DEFAULT_IO_THREADS}. */
  public static final int DEFAULT_IO_THREADS = 4;

  private final Protocol protocol;
  private final List<RemoteEndpoint> endpoints;
  private final String modelName;
  private final Optional<String> modelVersion;
  private final Duration callTimeout;
  private final Duration connectTimeout;
  private final Endpoints.Tuning tuning;
  private final long maxAnswerBytes;
  private final Duration overloadedRetryAfter;
  private final boolean binaryTensors;
  private final int ioThreads;
  private final boolean mutualTls;
  private final boolean bearer;

  private RemoteEngineConfig(Builder b) {
    // build() checked both before constructing.
    this.protocol = Objects.requireNonNull(b.protocol);
    this.endpoints = List.copyOf(b.endpoints);
    this.modelName = Objects.requireNonNull(b.modelName);
    this.modelVersion = Optional.ofNullable(b.modelVersion);
    this.callTimeout = b.callTimeout;
    this.connectTimeout = b.connectTimeout;
    this.tuning = new Endpoints.Tuning(b.healthInterval, b.probeTimeout, b.breakerThreshold, b.breakerOpenFor);
    this.maxAnswerBytes = b.maxAnswerBytes;
    this.overloadedRetryAfter = b.overloadedRetryAfter;
    this.binaryTensors = b.binaryTensors;
    this.ioThreads = b.ioThreads;
    this.mutualTls = b.clientCertificate != null;
    this.bearer = b.bearerEnv != null || b.bearerFile != null;
  }

  /**
   * A new builder.
   *
   * @return a builder with every default
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the protocol */
  public Protocol protocol() {
    return protocol;
  }

  /** @return the endpoints, in configuration order */
  public List<RemoteEndpoint> endpoints() {
    return endpoints;
  }

  /** @return the pinned model's id: its name, and {@code :version} when a version is pinned */
  public String modelId() {
    return modelVersion.map(v -> modelName + ":" + v).orElse(modelName);
  }

  /** @return the longest one call may take */
  public Duration callTimeout() {
    return callTimeout;
  }

  Endpoints.Tuning tuning() {
    return tuning;
  }

  Duration overloadedRetryAfter() {
    return overloadedRetryAfter;
  }

  @Override
  public String toString() {
    return "RemoteEngineConfig{protocol=" + protocol.settingName() + ", endpoints=" + endpoints.size() + ", model="
        + modelId() + ", mtls=" + mutualTls + ", bearer=" + bearer + ", binaryTensors=" + binaryTensors + '}';
  }

  /**
   * Builds the engine. Required: {@link #protocol}, at least one {@link #endpoint}, {@link #model}. Every
   * {@code https} endpoint needs a credential (a client certificate or a bearer token); an {@code http}
   * endpoint is refused unless {@link #allowPlaintextLoopback} is set and it is a loopback address. Each
   * option may be set once. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Protocol protocol;
    private final List<RemoteEndpoint> endpoints = new ArrayList<>();
    private @Nullable String modelName;
    private @Nullable String modelVersion;
    private @Nullable Path trustedCa;
    private @Nullable Path clientCertificate;
    private @Nullable Path clientKey;
    private @Nullable String bearerEnv;
    private @Nullable Path bearerFile;
    private boolean allowPlaintextLoopback;
    private Duration callTimeout = Duration.ofSeconds(DEFAULT_CALL_TIMEOUT_SECONDS);
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
    private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
    private int breakerThreshold = DEFAULT_BREAKER_THRESHOLD;
    private Duration breakerOpenFor = DEFAULT_BREAKER_OPEN_FOR;
    private long maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES;
    private Duration overloadedRetryAfter = DEFAULT_OVERLOADED_RETRY_AFTER;
    private boolean binaryTensors = true;
    private int ioThreads = DEFAULT_IO_THREADS;
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder() {}

    private void once(String option) {
      if (!set.add(option)) {
        throw new IllegalStateException(option + " was already set");
      }
    }

    private static Duration positive(String option, Duration d) {
      Objects.requireNonNull(d, option);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(option + " must be positive: " + d);
      }
      return d;
    }

    /**
     * The protocol (required).
     *
     * @param protocol the protocol
     * @return this builder
     */
    public Builder protocol(Protocol protocol) {
      once("protocol");
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * Adds an endpoint (at least one; at most 64; no address twice).
     *
     * @param endpoint the endpoint
     * @return this builder
     */
    public Builder endpoint(RemoteEndpoint endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (endpoints.stream().anyMatch(e -> e.uri().equals(endpoint.uri()))) {
        throw new IllegalArgumentException("endpoint listed twice: " + endpoint.uri());
      }
      if (endpoints.size() >= 64) {
        throw new IllegalArgumentException("at most 64 endpoints");
      }
      endpoints.add(endpoint);
      return this;
    }

    /**
     * The model the servers must serve (required): the OpenAI {@code model}, or the OIP model name. A server
     * that serves another is never used.
     *
     * @param name the model name
     * @return this builder
     */
    public Builder model(String name) {
      once("model");
      Objects.requireNonNull(name, "model");
      if (name.isBlank() || name.length() > 256 || !name.matches("[A-Za-z0-9._:/-]+")) {
        throw new IllegalArgumentException("model must be 1..256 of [A-Za-z0-9._:/-]: " + name);
      }
      this.modelName = name;
      return this;
    }

    /**
     * The OIP model version to pin (optional; OpenAI has none). With one the versioned paths are used.
     *
     * @param version the version
     * @return this builder
     */
    public Builder modelVersion(String version) {
      once("modelVersion");
      Objects.requireNonNull(version, "modelVersion");
      if (version.isBlank() || version.length() > 64 || !version.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("modelVersion must be 1..64 of [A-Za-z0-9._-]: " + version);
      }
      this.modelVersion = version;
      return this;
    }

    /**
     * The CA (PEM) the servers' certificates must chain to; the only one trusted. Without it the JDK's
     * default trust store is used (for hosted providers).
     *
     * @param caPem the CA certificate file
     * @return this builder
     */
    public Builder trustedCa(Path caPem) {
      once("trustedCa");
      this.trustedCa = Objects.requireNonNull(caPem, "trustedCa");
      return this;
    }

    /**
     * mTLS: the client certificate chain (PEM) and its PKCS#8 private key (PEM, mode 600).
     *
     * @param certificatePem the certificate chain file
     * @param keyPem the private key file
     * @return this builder
     */
    public Builder clientCertificate(Path certificatePem, Path keyPem) {
      once("clientCertificate");
      this.clientCertificate = Objects.requireNonNull(certificatePem, "certificatePem");
      this.clientKey = Objects.requireNonNull(keyPem, "keyPem");
      return this;
    }

    /**
     * Sends {@code Authorization: Bearer} with the token held by this environment variable (read at build).
     *
     * @param variable the variable's name
     * @return this builder
     */
    public Builder bearerTokenFromEnvironment(String variable) {
      once("bearerToken");
      this.bearerEnv = Objects.requireNonNull(variable, "variable");
      return this;
    }

    /**
     * Sends {@code Authorization: Bearer} with the token in this file (mode 600, read at build).
     *
     * @param file the token file
     * @return this builder
     */
    public Builder bearerTokenFromFile(Path file) {
      once("bearerToken");
      this.bearerFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Allows {@code http} endpoints on loopback addresses (a sidecar, tests); default {@code false}.
     * Non-loopback plain text is never allowed.
     *
     * @param allow whether to allow it
     * @return this builder
     */
    public Builder allowPlaintextLoopback(boolean allow) {
      once("allowPlaintextLoopback");
      this.allowPlaintextLoopback = allow;
      return this;
    }

    /**
     * The longest one call may take, whatever the request's deadline (which usually ends it first);
     * default {@value #DEFAULT_CALL_TIMEOUT_SECONDS} s.
     *
     * @param timeout the bound
     * @return this builder
     */
    public Builder callTimeout(Duration timeout) {
      once("callTimeout");
      this.callTimeout = positive("callTimeout", timeout);
      return this;
    }

    /**
     * How long a connection may take to open; default 2 s.
     *
     * @param timeout the bound
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      once("connectTimeout");
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * How often every endpoint is checked (ready, right model); default 5 s.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder healthInterval(Duration interval) {
      once("healthInterval");
      this.healthInterval = positive("healthInterval", interval);
      return this;
    }

    /**
     * How long one health check may take; default 2 s.
     *
     * @param timeout the bound
     * @return this builder
     */
    public Builder probeTimeout(Duration timeout) {
      once("probeTimeout");
      this.probeTimeout = positive("probeTimeout", timeout);
      return this;
    }

    /**
     * Consecutive failed calls that open an endpoint's circuit (1..100); default 3.
     *
     * @param failures the threshold
     * @return this builder
     */
    public Builder breakerThreshold(int failures) {
      once("breakerThreshold");
      if (failures < 1 || failures > 100) {
        throw new IllegalArgumentException("breakerThreshold must be 1..100: " + failures);
      }
      this.breakerThreshold = failures;
      return this;
    }

    /**
     * How long an open circuit stays open before one trial request; default 10 s.
     *
     * @param duration the duration
     * @return this builder
     */
    public Builder breakerOpenFor(Duration duration) {
      once("breakerOpenFor");
      this.breakerOpenFor = positive("breakerOpenFor", duration);
      return this;
    }

    /**
     * The most bytes read from one answer, counted while reading (1 KiB..1 GiB); default 32 MiB.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxAnswerBytes(long bytes) {
      once("maxAnswerBytes");
      if (bytes < 1024 || bytes > (1L << 30)) {
        throw new IllegalArgumentException("maxAnswerBytes must be 1024..1073741824: " + bytes);
      }
      this.maxAnswerBytes = bytes;
      return this;
    }

    /**
     * The retry-after given when every endpoint is full and no server named one; default 1 s.
     *
     * @param retryAfter the retry-after
     * @return this builder
     */
    public Builder overloadedRetryAfter(Duration retryAfter) {
      once("overloadedRetryAfter");
      this.overloadedRetryAfter = positive("overloadedRetryAfter", retryAfter);
      return this;
    }

    /**
     * OIP over REST: send and ask for tensors in Triton's binary extension ({@code true}, the default) or as
     * plain JSON with the image in base64 ({@code false}, for servers without the extension).
     *
     * @param binary whether to use the binary extension
     * @return this builder
     */
    public Builder binaryTensors(boolean binary) {
      once("binaryTensors");
      this.binaryTensors = binary;
      return this;
    }

    /**
     * Threads that run the HTTP client's work (1..64; requests wait on their callers' threads); default 4.
     *
     * @param threads the thread count
     * @return this builder
     */
    public Builder ioThreads(int threads) {
      once("ioThreads");
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("ioThreads must be 1..64: " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * Checks the configuration, reads the credentials, connects and checks every endpoint once.
     *
     * @return the engine
     * @throws IllegalStateException naming what is missing or inconsistent
     * @throws IOException when TLS material or a token cannot be read
     * @throws GeneralSecurityException when TLS material is invalid
     */
    public RemoteImageEditEngine build() throws IOException, GeneralSecurityException {
      if (protocol == null) {
        throw new IllegalStateException("protocol is required (openai, oip-rest or oip-grpc)");
      }
      if (endpoints.isEmpty()) {
        throw new IllegalStateException("at least one endpoint is required");
      }
      if (modelName == null) {
        throw new IllegalStateException("model is required: the servers' model name");
      }
      if (protocol == Protocol.OPENAI && modelVersion != null) {
        throw new IllegalStateException("modelVersion applies to the Open Inference Protocol only");
      }
      boolean credential = clientCertificate != null || bearerEnv != null || bearerFile != null;
      for (RemoteEndpoint e : endpoints) {
        if (e.isTls() && !credential) {
          throw new IllegalStateException("endpoint " + e.uri() + " needs a client certificate or a bearer token");
        }
        if (!e.isTls() && !(allowPlaintextLoopback && e.isLoopback())) {
          throw new IllegalStateException("endpoint " + e.uri() + " is plain http: only loopback addresses, and only "
              + "with allowPlaintextLoopback");
        }
      }
      if (probeTimeout.compareTo(healthInterval) > 0) {
        throw new IllegalStateException("probeTimeout " + probeTimeout + " exceeds healthInterval " + healthInterval);
      }
      RemoteEngineConfig config = new RemoteEngineConfig(this);
      Optional<String> token = Optional.empty();
      if (bearerEnv != null) {
        token = Optional.of(Pem.environment(bearerEnv).orElseThrow(
            () -> new IllegalStateException("environment variable " + bearerEnv + " holds no bearer token")));
      } else if (bearerFile != null) {
        token = Optional.of(Pem.secret(bearerFile));
      }
      TrustManager @Nullable [] trust = trustedCa == null ? null : Pem.trustOnly(trustedCa);
      // clientCertificate(certificate, key) sets both or neither.
      KeyManager @Nullable [] keys = clientCertificate == null ? null
          : Pem.clientKey(clientCertificate, Objects.requireNonNull(clientKey));
      Transport transport = switch (protocol) {
        case OIP_GRPC -> new OipGrpcTransport(config.modelName, config.modelVersion, token, trust, keys,
            connectTimeout, maxAnswerBytes);
        case OPENAI, OIP_REST -> {
          ExecutorService executor = Executors.newFixedThreadPool(ioThreads, daemonThreads("f2p-remote-http-"));
          ExecutorService probeExecutor = Executors.newSingleThreadExecutor(daemonThreads("f2p-remote-probe-http-"));
          RestSettings rest = new RestSettings(httpClient(trust, keys, executor),
              httpClient(trust, keys, probeExecutor), token, config.modelName, config.modelVersion, maxAnswerBytes,
              List.of(executor, probeExecutor), new DeadlineWatch("f2p-remote-deadline"));
          yield protocol == Protocol.OPENAI ? new OpenAiTransport(rest) : new OipRestTransport(rest, binaryTensors);
        }
      };
      return new RemoteImageEditEngine(config, transport);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, prefix + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }

    private HttpClient httpClient(TrustManager @Nullable [] trust, KeyManager @Nullable [] keys,
        ExecutorService executor) throws GeneralSecurityException {
      HttpClient.Builder b = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(connectTimeout)
          .followRedirects(HttpClient.Redirect.NEVER)
          .proxy(HttpClient.Builder.NO_PROXY)
          .executor(executor);
      if (trust != null || keys != null) {
        SSLContext context = Pem.context(trust, keys);
        b.sslContext(context);
      }
      return b.build();
    }
  }
}
