package dev.f2p.engine.remote;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.internal.InMemoryImages;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
import dev.f2p.engine.remote.internal.AnswerImage;
import dev.f2p.engine.remote.internal.Call;
import dev.f2p.engine.remote.internal.CallException;
import dev.f2p.engine.remote.internal.EndpointState;
import dev.f2p.engine.remote.internal.Endpoints;
import dev.f2p.engine.remote.internal.Transport;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine for model servers elsewhere: each edit goes to the endpoint the guard's lease named (see
 * {@link #capacityPlan()}), else to the up endpoint with the fewest requests in flight, never more at once
 * than the endpoint's declared capacity, with what is left of the request's
 * deadline as the call's timeout (the connection is dropped when it runs out). A request moves to another
 * endpoint only when the first provably never started it (no connection, or a busy answer before any work);
 * once a server may have begun generating, it is never sent again. Answers are untrusted: bounded in bytes
 * while reading, PNG only, checked chunk by chunk, exactly the size asked for, and decoded only then.
 *
 * <p>Outcomes: a busy server (HTTP 429 or 503, gRPC {@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE}) or
 * every endpoint full is {@link ReasonCode#OVERLOADED} with the server's retry-after; the deadline passing is
 * {@link ReasonCode#TIMEOUT}; everything else (no endpoint up, a failed call, a refused answer) is
 * {@link ReasonCode#ENGINE_UNAVAILABLE}, whose safe message is all the caller sees.
 *
 * <p>Built once with {@link #builder()} and shared: thread-safe. {@link #close()} stops the health checks and
 * closes connections.
 */
public final class RemoteImageEditEngine implements ImageEditEngine, SecurityEventSource {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteImageEditEngine.class);

  private final RemoteEngineConfig config;
  private final Transport transport;
  private final Endpoints endpoints;

  RemoteImageEditEngine(RemoteEngineConfig config, Transport transport) {
    this.config = config;
    this.transport = transport;
    this.endpoints = new Endpoints(config.endpoints(), transport, config.tuning());
    this.endpoints.start();
  }

  /**
   * A builder; see {@link RemoteEngineConfig.Builder} for every option and its default.
   *
   * @return a new builder
   */
  public static RemoteEngineConfig.Builder builder() {
    return RemoteEngineConfig.builder();
  }

  @Override
  public GeneratedImage edit(EngineRequest request) throws EngineException {
    // Re-encoded from the validated pixels: nothing of the upload's own bytes (chunks, comments, polyglot
    // tails) reaches a model server.
    byte[] png = InMemoryImages.png(request.image());
    Set<EndpointState> tried = new HashSet<>();
    Duration busyFor = null;
    for (int attempt = 0; attempt < endpoints.size(); attempt++) {
      Duration left = Duration.between(request.clock().instant(), request.deadline());
      if (left.isNegative() || left.isZero()) {
        throw new EngineException(ReasonCode.TIMEOUT, "deadline passed before the call");
      }
      EndpointState endpoint = endpoints.reserve(request.device().orElse(-1), tried).orElse(null);
      if (endpoint == null) {
        break;
      }
      tried.add(endpoint);
      Duration timeout = left.compareTo(config.callTimeout()) < 0 ? left : config.callTimeout();
      Call call = new Call(request.requestId(), png, request.prompt(), request.negativePrompt(), request.width(),
          request.height(), request.steps(), request.guidanceScale(), request.seed(), timeout);
      long start = System.nanoTime();
      try {
        byte[] answer = transport.edit(endpoint.endpoint(), call);
        BufferedImage pixels = AnswerImage.decode(answer, request.width(), request.height());
        endpoints.succeeded(endpoint, System.nanoTime() - start);
        request.progress().onStep(request.steps(), request.steps());
        return new GeneratedImage(pixels, config.modelId());
      } catch (CallException e) {
        endpoints.failed(endpoint, e);
        switch (e.kind()) {
          case NOT_STARTED -> {
            LOG.debug("request {}: endpoint {} did not start it ({}); trying another", request.requestId(),
                endpoint.endpoint().name(), e.getMessage());
            if (e.busy()) {
              busyFor = busyFor == null || e.retryAfter().compareTo(busyFor) < 0 ? e.retryAfter() : busyFor;
            }
          }
          case TIMEOUT -> throw new EngineException(ReasonCode.TIMEOUT,
              "endpoint " + endpoint.endpoint().name() + ": " + e.getMessage(), e);
          default -> throw new EngineException(ReasonCode.ENGINE_UNAVAILABLE,
              "endpoint " + endpoint.endpoint().name() + ": " + e.getMessage(), e);
        }
      } finally {
        endpoint.release();
      }
    }
    if (busyFor != null || endpoints.anyUp()) {
      Duration retry = busyFor == null || busyFor.isZero() ? config.overloadedRetryAfter() : busyFor;
      throw EngineException.overloaded(retry, "every endpoint is busy or full");
    }
    throw new EngineException(ReasonCode.ENGINE_UNAVAILABLE, "no endpoint is up");
  }

  /** The pinned model: its name, and {@code :version} when one is pinned. */
  @Override
  public String modelId() {
    return config.modelId();
  }

  /** Whether any endpoint is up (ready, serving the pinned model, circuit not open). */
  @Override
  public boolean isAvailable() {
    return endpoints.anyUp();
  }

  /**
   * Requests the engine ever has in flight at once: the sum of the endpoints' declared capacities.
   *
   * @return the total capacity
   */
  public int capacity() {
    return endpoints.capacity();
  }

  /**
   * One device per endpoint, in configuration order, each with its declared capacity, available while it is
   * up. The resource guard built from it (the client builds it after the engine, from settings or by default)
   * admits no more than the servers accept, only to endpoints that are up,
   * and its lease names the endpoint ({@link dev.f2p.core.spi.Lease#device()}), which this engine then calls.
   * Should that endpoint go down between lease and call, the request moves to another up endpoint only
   * within that endpoint's own capacity, which the engine still enforces.
   */
  @Override
  public Optional<CapacityPlan> capacityPlan() {
    return Optional.of(endpoints);
  }

  /**
   * Every endpoint's health now (up, in flight, capacity, ejections, last latency), in configuration order:
   * the index is the one a lease names.
   *
   * @return one status per endpoint
   */
  public List<DeviceStatus> endpointStatus() {
    return endpoints.status();
  }

  /** Publishes endpoint health changes (up, down, ejected, circuit open) as {@code ENGINE} notices. */
  @Override
  public void attach(SecurityEventPublisher publisher) {
    endpoints.attach(publisher);
  }

  @Override
  public void close() {
    endpoints.close();
    transport.close();
  }

  @Override
  public String toString() {
    return "RemoteImageEditEngine{" + config + '}';
  }
}
