package dev.f2p.examples.http;

import com.sun.net.httpserver.HttpServer;
import dev.f2p.core.EditRequest;
import dev.f2p.core.ImageEditClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The F2P Guard HTTP service as a dependency-free sketch on the JDK's built-in server (the production front is
 * {@link dev.f2p.examples.service.GuardService}, see the package): {@code POST /generate} (multipart, behind
 * {@code X-API-Key}), {@code GET /health}, {@code GET /metrics} and the admin endpoints, every answer
 * either the image or an RFC 9457 problem, every authenticated answer with the IETF {@code RateLimit} and
 * {@code RateLimit-Policy} fields.
 *
 * <p>Bounded against slow and abusive clients: a {@code /generate} request is first
 * {@linkplain ImageEditClient#admit admitted} on its headers (key, address, request id), so a caller who
 * is unauthenticated, forbidden, blocked, locked down or over quota is answered without a concurrency
 * slot and without one body byte read (the connection is then closed); an admitted request takes one of
 * {@link Builder#maxConcurrent} slots (more get 503 at once) and its body is read with a byte limit and
 * a deadline. Health, metrics and admin calls take no {@code /generate} slot, so no flood of uploads
 * keeps an admin out; at most
 * {@link Builder#maxConnections} connections are open (the JDK server closes more on accept); header and
 * request read times are bounded by the JDK server's own timers. {@link #stop(Duration)} stops accepting,
 * lets in-flight requests finish within the grace period and closes the client (and with it the engine).
 *
 * <p>The JDK server reads its limits ({@code jdk.httpserver.maxConnections},
 * {@code sun.net.httpserver.maxReqTime}, {@code maxRspTime}, {@code idleInterval},
 * {@code maxIdleConnections}, {@code maxReqHeaders}, {@code maxReqHeaderSize}) from system properties once
 * per JVM, when the first server starts: {@link #start()} sets those not already set from this service's
 * limits, so in one JVM the first service's values hold for all. Thread-safe.
 */
public final class HttpService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

  public static final int DEFAULT_PORT = 8080;
  /** Loopback only: exposing the service is a decision, not a default. */
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final long DEFAULT_MAX_BODY_BYTES = 12L * 1024 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 128;
  public static final int DEFAULT_MAX_CONCURRENT = 16;
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  /** From the end of the request to the end of the response: inference included, so generous. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
  /** Request headers the JDK server accepts at most, in number and in bytes. */
  static final int MAX_REQUEST_HEADERS = 64;
  static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
  /** The most proxies that may stand in front of the service. */
  static final int MAX_TRUSTED_PROXIES = 8;
  /** The most connections or concurrent requests an option may allow. */
  static final int MAX_LIMIT = 10_000;

  private final Builder config;
  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final ServiceHandler handler;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private HttpService(Builder config) throws IOException {
    this.config = config;
    applyServerProperties(config);
    this.handler = new ServiceHandler(config);
    this.server = HttpServer.create(new InetSocketAddress(config.bind, config.port), 64);
    AtomicInteger n = new AtomicInteger();
    // One thread per connection at most: the JDK server hands each readable connection to the executor,
    // and closes the connection silently if the executor refuses, so the pool must never be the limit.
    // The cap in force is the JVM's first service's; size for whichever is larger.
    int connections = Math.max(config.maxConnections,
        Integer.getInteger("jdk.httpserver.maxConnections", config.maxConnections));
    this.executor = new ThreadPoolExecutor(Math.min(4, connections), connections + 8,
        30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "f2p-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    server.setExecutor(executor);
    server.createContext("/", handler);
  }

  /** A builder for a service over {@code client}; the service closes the client when it stops. */
  public static Builder builder(ImageEditClient client) {
    return new Builder(client);
  }

  /** The address the service listens on (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public int port() {
    return address().getPort();
  }

  /** The registry the service records its HTTP metrics into. */
  public MeterRegistry meterRegistry() {
    return config.meterRegistry;
  }

  /**
   * Stops: refuses new connections at once (and answers 503 to new requests on open ones), waits up to
   * {@code grace} for in-flight requests, then closes every connection, the client and its engine.
   * Idempotent; returns whether every in-flight request finished in time.
   */
  public boolean stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (!stopped.compareAndSet(false, true)) {
      return true;
    }
    handler.drain();
    long deadline = System.nanoTime() + grace.toNanos();
    // HttpServer.stop closes the listener at once, then waits for its exchanges; it waits the whole delay
    // when there are none, so it runs aside and is cut short below once our own count reaches zero.
    int delaySeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Problem.ceilSeconds(grace)));
    Thread stopper = new Thread(() -> server.stop(delaySeconds), "f2p-http-stop");
    stopper.setDaemon(true);
    stopper.start();
    boolean drained = handler.awaitIdle(deadline);
    server.stop(0);
    try {
      stopper.join(TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime())) + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (!drained) {
      LOG.warn("stopped with {} request(s) still in flight after the grace period", handler.inFlight());
    }
    config.client.close();
    LOG.info("F2P Guard HTTP service stopped");
    return drained;
  }

  /** {@link #stop(Duration)} with the configured grace period. */
  @Override
  public void close() {
    stop(config.grace);
  }

  private void start() {
    server.start();
    LOG.info("F2P Guard HTTP service listening on http://{}:{}", address().getHostString(), port());
  }

  private static void applyServerProperties(Builder c) {
    setIfAbsent("jdk.httpserver.maxConnections", c.maxConnections);
    setIfAbsent("sun.net.httpserver.maxReqTime", Math.max(1, Problem.ceilSeconds(c.readTimeout)));
    setIfAbsent("sun.net.httpserver.maxRspTime", Math.max(1, Problem.ceilSeconds(c.responseTimeout)));
    setIfAbsent("sun.net.httpserver.idleInterval", Math.max(1, Problem.ceilSeconds(c.readTimeout)));
    setIfAbsent("sun.net.httpserver.maxIdleConnections", Math.max(1, c.maxConnections / 2));
    setIfAbsent("sun.net.httpserver.maxReqHeaders", MAX_REQUEST_HEADERS);
    setIfAbsent("sun.net.httpserver.maxReqHeaderSize", MAX_REQUEST_HEADER_BYTES);
  }

  private static void setIfAbsent(String name, long value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, Long.toString(value));
    }
  }

  /**
   * Configures and starts an {@link HttpService}. Defaults are the {@code DEFAULT_*} constants. Not
   * thread-safe.
   */
  public static final class Builder {
    final ImageEditClient client;
    int port = DEFAULT_PORT;
    InetAddress bind;
    long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    int maxConnections = DEFAULT_MAX_CONNECTIONS;
    int maxConcurrent = DEFAULT_MAX_CONCURRENT;
    Duration readTimeout = DEFAULT_READ_TIMEOUT;
    Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    Duration grace = DEFAULT_GRACE;
    int trustedProxies;
    AdminActions adminActions = AdminActions.none();
    MeterRegistry meterRegistry;
    Supplier<String> metricsSource;
    LongSupplier ticker = System::nanoTime;

    private Builder(ImageEditClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** The TCP port; 0 picks a free one. Default {@value #DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = requireRange("port", port, 0, 65535);
      return this;
    }

    /** The address to listen on, an IP literal. Default {@value #DEFAULT_BIND}. */
    public Builder bind(String address) {
      this.bind = ipLiteral(address);
      return this;
    }

    /** The most body bytes a request may send; crossing it while reading answers 413. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 1024 || maxBodyBytes > EditRequest.MAX_IMAGE_BYTES + 1024L * 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be 1 KiB..33 MiB: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** The most open connections; the JDK server closes more as it accepts them. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = requireRange("maxConnections", maxConnections, 1, MAX_LIMIT);
      return this;
    }

    /** The most requests handled at once (health checks aside); more are answered 503 at once. */
    public Builder maxConcurrent(int maxConcurrent) {
      this.maxConcurrent = requireRange("maxConcurrent", maxConcurrent, 1, MAX_LIMIT);
      return this;
    }

    /** How long a client may take to send a whole request, headers and body. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = positive(readTimeout, "readTimeout");
      return this;
    }

    /** How long from the end of a request to the end of its response (inference included). */
    public Builder responseTimeout(Duration responseTimeout) {
      this.responseTimeout = positive(responseTimeout, "responseTimeout");
      return this;
    }

    /** How long {@link #close()} lets in-flight requests finish. */
    public Builder grace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace must not be negative: " + grace);
      }
      this.grace = grace;
      return this;
    }

    /**
     * {@link #trustedProxies(int) trustedProxies(1)} when {@code trust}, else 0.
     *
     * @param trust whether one proxy that sets {@code X-Forwarded-For} stands in front
     * @return this builder
     */
    public Builder trustForwardedFor(boolean trust) {
      return trustedProxies(trust ? 1 : 0);
    }

    /**
     * How many proxies that append to {@code X-Forwarded-For} stand in front of the service (0 to
     * {@value #MAX_TRUSTED_PROXIES}): the client's address is the entry the outermost of them wrote, the
     * {@code n}th from the right; each entry read must be a bare IP literal, or the request is a 400
     * problem. Default 0: the socket's remote address, which a client cannot forge.
     *
     * @param n the number of trusted proxies
     * @return this builder
     */
    public Builder trustedProxies(int n) {
      this.trustedProxies = requireRange("trustedProxies", n, 0, MAX_TRUSTED_PROXIES);
      return this;
    }

    /** What the admin endpoints do. Default {@link AdminActions#none()}. */
    public Builder adminActions(AdminActions adminActions) {
      this.adminActions = Objects.requireNonNull(adminActions, "adminActions");
      return this;
    }

    /**
     * Where the service records its HTTP metrics. Default: a {@link PrometheusMeterRegistry} of its own,
     * which is then also the {@link #metricsSource} unless one is set.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** What {@code GET /metrics} answers: Prometheus text, such as a registry's {@code scrape()}. */
    public Builder metricsSource(Supplier<String> source) {
      this.metricsSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The nanosecond ticker read deadlines are measured on. A test seam; default {@link System#nanoTime()}. */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Binds and starts the service; fails when the address is taken (the client then stays the caller's
     * to close).
     */
    public HttpService start() {
      if (bind == null) {
        bind = ipLiteral(DEFAULT_BIND);
      }
      if (meterRegistry == null) {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meterRegistry = own;
        if (metricsSource == null) {
          metricsSource = own::scrape;
        }
      }
      if (metricsSource == null) {
        throw new IllegalStateException("a meterRegistry that is not Prometheus needs a metricsSource");
      }
      try {
        HttpService service = new HttpService(this);
        service.start();
        return service;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + bind.getHostAddress() + ":" + port, e);
      }
    }

    /** {@code value} when it is within {@code min..max}; otherwise fails naming the option and the value. */
    static int requireRange(String name, long value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
      }
      return (int) value;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }

    private static InetAddress ipLiteral(String address) {
      Objects.requireNonNull(address, "address");
      return dev.f2p.core.ClientAddress.parse(address).map(dev.f2p.core.ClientAddress::toInetAddress)
          .orElseThrow(() -> new IllegalArgumentException("bind must be an IP address: " + address));
    }
  }
}
