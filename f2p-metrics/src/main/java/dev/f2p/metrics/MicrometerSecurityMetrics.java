package dev.f2p.metrics;

import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.GuardMetrics;
import dev.f2p.core.spi.ResourceGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
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
 *       {@link ResourceGuard} that keeps {@link ResourceGuard#metrics() metrics}, once {@link #bindGuard bound}.
 * </ul>
 *
 * <p>Tag values come from enums only ({@code reason} is {@code none} when absent), never from ids,
 * addresses or detail codes, so the number of series is bounded whatever callers send. Thread-safe;
 * meters are created once and cached.
 */
public final class MicrometerSecurityMetrics implements SecurityEventListener {
  public static final String REQUESTS = "f2p.requests";
  public static final String DECISIONS = "f2p.decisions";
  public static final String STAGE_LATENCY = "f2p.stage.latency";
  public static final String REQUEST_LATENCY = "f2p.request.latency";
  public static final String SLOTS_IN_USE = "f2p.guard.slots.in.use";
  public static final String QUEUE_LENGTH = "f2p.guard.queue.length";
  public static final String SLOTS = "f2p.guard.slots";

  private static final String NONE = "none";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  /** Meters registered in {@code registry}. */
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

  private void gauge(String name, String help, Supplier<Optional<GuardMetrics>> load,
      java.util.function.ToIntFunction<GuardMetrics> value) {
    Gauge.builder(name, load, s -> {
      Optional<GuardMetrics> m = s.get();
      return m.isPresent() ? value.applyAsInt(m.get()) : Double.NaN;
    }).description(help).strongReference(true).register(registry);
  }

  @Override
  public void onEvent(SecurityEvent event) {
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
