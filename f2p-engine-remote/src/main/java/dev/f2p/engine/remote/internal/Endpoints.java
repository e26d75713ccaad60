package dev.f2p.engine.remote.internal;

import dev.f2p.core.Outcome;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.engine.remote.RemoteEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints and their health: choice by fewest requests in flight among those up, passive ejection on a
 * failed connection, a circuit breaker per endpoint, and active health checks on a daemon thread that bring
 * endpoints back (and take them out when they stop being ready, serve another model or stop listening; a
 * check that times out while the endpoint keeps answering requests is load, not death). Thread-safe.
 */
public final class Endpoints implements AutoCloseable, CapacityPlan {
  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  /** How the pool is tuned. */
  public record Tuning(Duration healthInterval, Duration probeTimeout, int breakerThreshold, Duration breakerOpenFor) {}

  private final List<EndpointState> states;
  private final Transport transport;
  private final Tuning tuning;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService probes;
  private final AtomicInteger rotation = new AtomicInteger();
  private volatile SecurityEventPublisher events = SecurityEventPublisher.NONE;

  public Endpoints(List<RemoteEndpoint> endpoints, Transport transport, Tuning tuning) {
    List<EndpointState> s = new ArrayList<>();
    for (RemoteEndpoint e : endpoints) {
      s.add(new EndpointState(e));
    }
    this.states = List.copyOf(s);
    this.transport = transport;
    this.tuning = tuning;
    AtomicInteger n = new AtomicInteger();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "f2p-remote-health"));
    this.probes = Executors.newFixedThreadPool(Math.min(states.size(), 8),
        r -> daemon(r, "f2p-remote-probe-" + n.incrementAndGet()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Checks every endpoint once, waiting for the answers, then keeps checking in the background. */
  public void start() {
    checkAll();
    long every = tuning.healthInterval().toNanos();
    scheduler.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.NANOSECONDS);
  }

  public void attach(SecurityEventPublisher publisher) {
    this.events = publisher;
  }

  /** Probes every endpoint in parallel; each probe is bounded by the probe timeout. */
  void checkAll() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (EndpointState s : states) {
      all.add(CompletableFuture.runAsync(() -> check(s), probes));
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .get(tuning.probeTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("remote engine: a health check did not finish in time");
    }
  }

  /**
   * One check of one endpoint. What takes it out: a refused connection at once (nothing listens, as when a
   * request finds no connection); an answer other than ready-with-the-model, or no answer in time, on two
   * checks in a row (one could be a loaded server answering slowly). No answer does not count at all while the
   * endpoint is busy: it has answered a request since about the previous check, or it has requests in flight
   * none of which has run out of time since its last passed check (a burst's first answers may take a whole
   * generation). A server that is serving requests is alive however long its health path takes, and under a
   * burst that path waits behind the requests (in the server's accept queue, its event loop, its workers):
   * marking it down would turn load into an outage. A server that died is found by the first request or
   * check that cannot connect; one that hangs, by its requests running out of time and then its checks.
   */
  private void check(EndpointState s) {
    long began = System.nanoTime();
    Health health;
    try {
      health = transport.probe(s.endpoint(), tuning.probeTimeout());
    } catch (RuntimeException e) {
      health = new Health(Health.State.NO_ANSWER, "probe failed: " + e.getClass().getSimpleName());
    }
    if (scheduler.isShutdown()) {
      return; // closing: a probe cut short says nothing about the endpoint
    }
    switch (health.state()) {
      case UP -> {
        s.probed(true);
        s.passed();
        if (s.setReady(true)) {
          LOG.info("remote engine: endpoint {} is up", s.endpoint().name());
          publish(s, "ENDPOINT_UP", Severity.INFO, "health check passed");
        }
      }
      case UNREACHABLE -> {
        s.probed(false);
        down(s, health.why());
      }
      case NO_ANSWER, DOWN -> {
        if (health.state() == Health.State.NO_ANSWER
            && s.busySince(began - tuning.healthInterval().toNanos() - tuning.probeTimeout().toNanos())) {
          s.probed(true);
          LOG.debug("remote engine: endpoint {} is busy: its health check timed out ({}) while it serves requests",
              s.endpoint().name(), health.why());
          return;
        }
        // Until its first pass an endpoint is not up anyway.
        if (s.probed(false) >= 2) {
          down(s, health.why());
        }
      }
    }
  }

  private void down(EndpointState s, String why) {
    if (s.setReady(false)) {
      LOG.warn("remote engine: endpoint {} is down: {}", s.endpoint().name(), why);
      publish(s, "ENDPOINT_DOWN", Severity.WARN, why);
    }
  }

  /**
   * Takes a slot on the endpoint the guard's lease named when it is up with room and not yet tried, else on
   * the up endpoint with the fewest requests in flight, skipping {@code tried}. Each endpoint's own count is
   * the hard limit: a request moved off its leased endpoint never pushes another past its capacity.
   *
   * @param leased the endpoint index the lease named, or -1
   * @return the endpoint, its slot taken; empty when none is up with room
   */
  public Optional<EndpointState> reserve(int leased, Set<EndpointState> tried) {
    long now = System.nanoTime();
    if (leased >= 0 && leased < states.size()) {
      EndpointState s = states.get(leased);
      if (!tried.contains(s) && s.ready() && !s.breakerOpen(now) && s.tryReserve()) {
        if (s.breakerAllows(now)) {
          return Optional.of(s);
        }
        s.release();
      }
    }
    int start = Math.floorMod(rotation.getAndIncrement(), states.size());
    for (int attempt = 0; attempt < 8; attempt++) {
      EndpointState best = null;
      for (int i = 0; i < states.size(); i++) {
        EndpointState s = states.get((start + i) % states.size());
        if (!tried.contains(s) && s.ready() && !s.breakerOpen(now) && s.inFlight() < s.endpoint().capacity()
            && (best == null || s.inFlight() < best.inFlight())) {
          best = s;
        }
      }
      if (best == null) {
        return Optional.empty();
      }
      if (best.tryReserve()) {
        if (best.breakerAllows(now)) {
          return Optional.of(best);
        }
        best.release();
      }
    }
    return Optional.empty();
  }

  /** Whether any endpoint is up (ready, breaker not open). */
  public boolean anyUp() {
    long now = System.nanoTime();
    for (EndpointState s : states) {
      if (s.ready() && !s.breakerOpen(now)) {
        return true;
      }
    }
    return false;
  }

  public void succeeded(EndpointState s, long latencyNanos) {
    s.succeeded(latencyNanos);
  }

  /** Counts a failed call against its endpoint: a failed connection ejects at once, faults feed the breaker. */
  public void failed(EndpointState s, CallException e) {
    switch (e.kind()) {
      case NOT_STARTED -> {
        s.releaseTrial();
        if (!e.busy() && s.setReady(false)) {
          LOG.warn("remote engine: endpoint {} ejected: {}", s.endpoint().name(), e.getMessage());
          publish(s, "ENDPOINT_EJECTED", Severity.WARN, "no connection");
        }
      }
      case TIMEOUT -> {
        s.releaseTrial();
        s.timedOut();
      }
      case FAILED, BAD_ANSWER -> {
        if (s.failed(tuning.breakerThreshold(), tuning.breakerOpenFor().toNanos(), System.nanoTime())) {
          LOG.warn("remote engine: circuit opened for endpoint {}: {}", s.endpoint().name(), e.getMessage());
          publish(s, "ENDPOINT_CIRCUIT_OPEN", Severity.WARN, e.kind() == CallException.Kind.BAD_ANSWER
              ? "answers refused" : "calls failed");
        }
      }
    }
  }

  /** Every endpoint's health now, in configuration order (the index a lease names). */
  @Override
  public List<DeviceStatus> status() {
    long now = System.nanoTime();
    List<DeviceStatus> out = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      out.add(states.get(i).status(i, now));
    }
    return List.copyOf(out);
  }

  @Override
  public int devices() {
    return states.size();
  }

  @Override
  public int slots(int device) {
    return states.get(device).endpoint().capacity();
  }

  /** Up: ready, serving the pinned model, not ejected, circuit not open (or half-open with no trial out). */
  @Override
  public boolean available(int device) {
    EndpointState s = states.get(device);
    return s.ready() && !s.breakerOpen(System.nanoTime());
  }

  @Override
  public String name(int device) {
    return states.get(device).endpoint().name();
  }

  /** The index of an endpoint, as a lease names it. */
  public int indexOf(EndpointState s) {
    return states.indexOf(s);
  }

  public int size() {
    return states.size();
  }

  private void publish(EndpointState s, String detail, Severity severity, String why) {
    try {
      events.publish(SecurityEvent.builder(Stage.ENGINE, Outcome.NOTICE).severity(severity).detail(detail)
          .attribute("endpoint", s.endpoint().name()).attribute("endpoint.why", why)
          .attribute("endpoint.in-flight", Integer.toString(s.inFlight())).build());
    } catch (RuntimeException e) {
      LOG.warn("remote engine: an event listener threw", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    probes.shutdownNow();
  }
}
