package dev.f2p.metrics;

import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.core.spi.GuardMetrics;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ResourceGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Security events as Micrometer meters:
 *
 * <ul>
 *   <li>{@value #REQUESTS} (counter): each request's final event, tagged {@code outcome} and
 *       {@code reason};
 *   <li>{@value #DECISIONS} (counter): every other event, tagged {@code stage}, {@code outcome} and
 *       {@code reason};
 *   <li>{@value #STAGE_LATENCY} (timer): time in each stage, tagged {@code stage}, from the final event;
 *       {@value #REQUEST_LATENCY} (timer): whole requests, tagged {@code outcome};
 *   <li>{@value #SLOTS_IN_USE}, {@value #QUEUE_LENGTH} and {@value #SLOTS} (gauges) for a
 *       {@link ResourceGuard} that keeps {@link ResourceGuard#metrics() metrics}, once {@link #bindGuard bound};
 *   <li>per device of an engine that declares a {@link CapacityPlan} (a remote engine's endpoints), once
 *       {@link #bindEngine bound}, tagged {@code device} (its configured name): {@value #DEVICE_UP} (1 or 0),
 *       {@value #DEVICE_IN_FLIGHT}, {@value #DEVICE_CAPACITY}, {@value #DEVICE_EJECTIONS} and
 *       {@value #DEVICE_LATENCY} (the last successful request, in seconds).
 * </ul>
 *
 * <p>Tag values come from enums only ({@code reason} is {@code none} when absent), or from configuration
 * (device names), never from ids, addresses of callers or detail codes, so the number of series is bounded whatever callers send. Thread-safe;
 * meters are created once and cached.
 */
public final class MicrometerSecurityMetrics implements SecurityEventListener {
  /** Counter of finished requests, tagged {@code outcome} and {@code reason}. */
  public static final String REQUESTS = "f2p.requests";
  /** Counter of every other event, tagged {@code stage}, {@code outcome} and {@code reason}. */
  public static final String DECISIONS = "f2p.decisions";
  /** Timer of the time spent in each stage, tagged {@code stage}. */
  public static final String STAGE_LATENCY = "f2p.stage.latency";
  /** Timer of whole requests, tagged {@code outcome}. */
  public static final String REQUEST_LATENCY = "f2p.request.latency";
  /** Gauge of the guard's slots running an inference now. */
  public static final String SLOTS_IN_USE = "f2p.guard.slots.in.use";
  /** Gauge of the requests waiting for a slot now. */
  public static final String QUEUE_LENGTH = "f2p.guard.queue.length";
  /** Gauge of the guard's slots on all devices. */
  public static final String SLOTS = "f2p.guard.slots";
  /** Gauge per device: 1 while requests go to it, else 0. */
  public static final String DEVICE_UP = "f2p.engine.device.up";
  /** Gauge per device: requests running there now. */
  public static final String DEVICE_IN_FLIGHT = "f2p.engine.device.in.flight";
  /** Gauge per device: its declared capacity. */
  public static final String DEVICE_CAPACITY = "f2p.engine.device.capacity";
  /** Gauge per device: how many times it was taken out of rotation since the engine started. */
  public static final String DEVICE_EJECTIONS = "f2p.engine.device.ejections";
  /** Gauge per device: the last successful request's latency, in seconds. */
  public static final String DEVICE_LATENCY = "f2p.engine.device.latency";

  private static final String NONE = "none";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final AtomicBoolean engineBound = new AtomicBoolean();
  private volatile Supplier<Optional<ImageEditEngine>> pendingEngine = Optional::empty;

  /**
   * Meters registered in {@code registry}.
   *
   * @param registry where the meters go
   */
  public MicrometerSecurityMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Registers the guard's gauges, read from its {@link ResourceGuard#metrics()} at each sample (NaN when it
   * keeps none).
   *
   * @param guard the client's resource guard
   * @return this
   */
  public MicrometerSecurityMetrics bindGuard(ResourceGuard guard) {
    Objects.requireNonNull(guard, "guard");
    return bindGuard(() -> Optional.of(guard));
  }

  /**
   * Registers the guard's gauges for a guard found at sampling time (NaN while there is none), for a
   * guard built after this listener (the provider's case).
   */
  MicrometerSecurityMetrics bindGuard(Supplier<Optional<ResourceGuard>> guard) {
    Objects.requireNonNull(guard, "guard");
    Supplier<Optional<GuardMetrics>> load = () -> guard.get().flatMap(ResourceGuard::metrics);
    gauge(SLOTS_IN_USE, "Inferences running now", load, GuardMetrics::slotsInUse);
    gauge(QUEUE_LENGTH, "Requests waiting for a slot", load, GuardMetrics::queueLength);
    gauge(SLOTS, "All inference slots", load, GuardMetrics::capacity);
    return this;
  }

  /**
   * Registers per-device gauges for an engine that declares a {@link CapacityPlan} (nothing for one that
   * does not), each read from {@link CapacityPlan#status()} at sampling time. Binds at most one engine.
   *
   * @param engine the client's engine
   * @return this
   */
  public MicrometerSecurityMetrics bindEngine(ImageEditEngine engine) {
    Objects.requireNonNull(engine, "engine");
    Optional<CapacityPlan> plan = engine.capacityPlan();
    if (plan.isEmpty() || !engineBound.compareAndSet(false, true)) {
      return this;
    }
    CapacityPlan p = plan.get();
    for (int d = 0; d < p.devices(); d++) {
      int device = d;
      String name = p.status().get(d).name();
      deviceGauge(DEVICE_UP, "Whether requests go to the device now", p, name, s -> s.get(device).up() ? 1 : 0);
      deviceGauge(DEVICE_IN_FLIGHT, "Requests running on the device", p, name, s -> s.get(device).inFlight());
      deviceGauge(DEVICE_CAPACITY, "The device's declared capacity", p, name, s -> s.get(device).capacity());
      deviceGauge(DEVICE_EJECTIONS, "Times the device was taken out of rotation", p, name,
          s -> s.get(device).ejections());
      deviceGauge(DEVICE_LATENCY, "The device's last successful request, seconds", p, name,
          s -> s.get(device).lastLatency().toNanos() / 1e9);
    }
    return this;
  }

  /** Binds the engine once one is found, at the first event after it exists (the provider's case). */
  MicrometerSecurityMetrics bindEngine(Supplier<Optional<ImageEditEngine>> engine) {
    this.pendingEngine = Objects.requireNonNull(engine, "engine");
    return this;
  }

  private void deviceGauge(String name, String help, CapacityPlan plan, String device,
      java.util.function.ToDoubleFunction<List<DeviceStatus>> value) {
    Gauge.builder(name, plan, p -> value.applyAsDouble(p.status())).tag("device", device).description(help)
        .strongReference(true).register(registry);
  }

  private void gauge(String name, String help, Supplier<Optional<GuardMetrics>> load,
      java.util.function.ToIntFunction<GuardMetrics> value) {
    Gauge.builder(name, load, s -> {
      Optional<GuardMetrics> m = s.get();
      return m.isPresent() ? value.applyAsInt(m.get()) : Double.NaN;
    }).description(help).strongReference(true).register(registry);
  }

  @Override
  public void onEvent(SecurityEvent event) {
    if (!engineBound.get()) {
      pendingEngine.get().ifPresent(this::bindEngine);
    }
    String outcome = event.outcome().name();
    String reason = event.reason().map(Enum::name).orElse(NONE);
    if (event.stage() == Stage.COMPLETE) {
      counter(REQUESTS, "", outcome, reason).increment();
      timer(REQUEST_LATENCY, "outcome", outcome).record(event.latency());
      for (Map.Entry<Stage, Duration> e : event.stageLatencies().entrySet()) {
        timer(STAGE_LATENCY, "stage", e.getKey().name()).record(e.getValue());
      }
    } else {
      counter(DECISIONS, event.stage().name(), outcome, reason).increment();
    }
  }

  private Counter counter(String name, String stage, String outcome, String reason) {
    return counters.computeIfAbsent(name + '|' + stage + '|' + outcome + '|' + reason, k -> {
      Counter.Builder b = Counter.builder(name).tag("outcome", outcome).tag("reason", reason);
      if (!stage.isEmpty()) {
        b.tag("stage", stage);
      }
      return b.description(name.equals(REQUESTS) ? "Requests by how they ended" : "Security decisions by stage")
          .register(registry);
    });
  }

  private Timer timer(String name, String tag, String value) {
    return timers.computeIfAbsent(name + '|' + value, k -> Timer.builder(name).tag(tag, value).register(registry));
  }
}
