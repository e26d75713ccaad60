package dev.f2p.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.security.guard.StandardResourceGuard;
import dev.f2p.security.guard.StandardResourceGuardProvider;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerSecurityMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerSecurityMetrics metrics = new MicrometerSecurityMetrics(registry);

  private static SecurityEvent rejected(Stage stage, ReasonCode reason, String address) {
    return SecurityEvent.builder(stage, Outcome.REJECTED).reason(reason).detail("SOME_DETAIL")
        .clientAddress(address).principalId("p-" + address).build();
  }

  @Test
  void countersAreTaggedByStageOutcomeAndReasonOnly() {
    for (int i = 0; i < 3; i++) {
      metrics.onEvent(rejected(Stage.PROMPT_FILTER, ReasonCode.PROMPT_REJECTED, "10.0.0." + i));
      metrics.onEvent(rejected(Stage.COMPLETE, ReasonCode.PROMPT_REJECTED, "10.0.0." + i));
    }
    metrics.onEvent(SecurityEvent.builder(Stage.COMPLETE, Outcome.ALLOWED).build());

    assertThat(registry.get(MicrometerSecurityMetrics.DECISIONS).tags("stage", "PROMPT_FILTER", "outcome", "REJECTED",
        "reason", "PROMPT_REJECTED").counter().count()).isEqualTo(3);
    assertThat(registry.get(MicrometerSecurityMetrics.REQUESTS).tags("outcome", "REJECTED", "reason",
        "PROMPT_REJECTED").counter().count()).isEqualTo(3);
    assertThat(registry.get(MicrometerSecurityMetrics.REQUESTS).tags("outcome", "ALLOWED", "reason", "none")
        .counter().count()).isEqualTo(1);
    // Three addresses and principals, yet no series per caller: tag keys are a fixed, small set.
    for (Meter m : registry.getMeters()) {
      m.getId().getTags().forEach(t -> assertThat(t.getKey()).isIn("stage", "outcome", "reason"));
      m.getId().getTags().forEach(t -> assertThat(t.getValue()).doesNotContain("10.0.0", "p-"));
    }
    assertThat(registry.find(MicrometerSecurityMetrics.DECISIONS).counters()).hasSize(1);
  }

  @Test
  void stageTimersComeFromTheFinalEvent() {
    Map<Stage, Duration> stages = new EnumMap<>(Stage.class);
    stages.put(Stage.AUTHENTICATION, Duration.ofMillis(2));
    stages.put(Stage.ENGINE, Duration.ofMillis(900));
    metrics.onEvent(SecurityEvent.builder(Stage.COMPLETE, Outcome.ALLOWED).latency(Duration.ofMillis(950))
        .stageLatencies(stages).build());
    metrics.onEvent(SecurityEvent.builder(Stage.COMPLETE, Outcome.ALLOWED).latency(Duration.ofMillis(50))
        .stageLatencies(Map.of(Stage.ENGINE, Duration.ofMillis(100))).build());
    assertThat(registry.get(MicrometerSecurityMetrics.STAGE_LATENCY).tag("stage", "ENGINE").timer()
        .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000);
    assertThat(registry.get(MicrometerSecurityMetrics.STAGE_LATENCY).tag("stage", "ENGINE").timer().count())
        .isEqualTo(2);
    assertThat(registry.get(MicrometerSecurityMetrics.STAGE_LATENCY).tag("stage", "AUTHENTICATION").timer().count())
        .isEqualTo(1);
    assertThat(registry.get(MicrometerSecurityMetrics.REQUEST_LATENCY).tag("outcome", "ALLOWED").timer()
        .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000);
  }

  @Test
  void guardGaugesFollowSlotsAndQueue() {
    StandardResourceGuard guard = StandardResourceGuard.builder().slotsPerDevice(2).minHeapFree(0).build();
    metrics.bindGuard(guard);
    Principal p = new Principal("alice", Set.of(Role.USER), "k");
    EditRequest r = EditRequest.builder().apiKey("k").clientAddress("a").prompt("x").image(new byte[1]).build();
    Lease lease = ((dev.f2p.core.spi.Decision.Allowed<Lease>) guard.acquire(p, r)).value();
    assertThat(registry.get(MicrometerSecurityMetrics.SLOTS_IN_USE).gauge().value()).isEqualTo(1);
    assertThat(registry.get(MicrometerSecurityMetrics.QUEUE_LENGTH).gauge().value()).isZero();
    assertThat(registry.get(MicrometerSecurityMetrics.SLOTS).gauge().value()).isEqualTo(2);
    lease.close();
    assertThat(registry.get(MicrometerSecurityMetrics.SLOTS_IN_USE).gauge().value()).isZero();
  }

  @Test
  void theProviderSharesTheRegistryAndFindsTheStandardGuard() throws Exception {
    PolicySettings root = PolicySettings.of(Map.of("f2p.resource-guard.slots-per-device", "3",
        "f2p.listener.micrometer.registry", "simple"));
    SecurityEventListener listener = new MicrometerSecurityMetricsProvider().create(root.scope("f2p.listener.micrometer"));
    new StandardResourceGuardProvider().create(root.scope("f2p.resource-guard"));
    MeterRegistry shared = root.shared(MicrometerSecurityMetricsProvider.REGISTRY_KEY, MeterRegistry.class,
        SimpleMeterRegistry::new);
    assertThat(shared).isInstanceOf(SimpleMeterRegistry.class).isNotSameAs(Metrics.globalRegistry);
    assertThat(shared.get(MicrometerSecurityMetrics.SLOTS).gauge().value()).isEqualTo(3);
    listener.onEvent(SecurityEvent.builder(Stage.COMPLETE, Outcome.ALLOWED).build());
    assertThat(shared.get(MicrometerSecurityMetrics.REQUESTS).counter().count()).isEqualTo(1);
  }

  /** An engine whose two servers the test switches, as a remote engine reports its endpoints. */
  private static final class TwoServers implements dev.f2p.core.spi.ImageEditEngine, dev.f2p.core.spi.CapacityPlan {
    volatile boolean secondUp = true;

    @Override
    public dev.f2p.core.spi.GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) {
      throw new UnsupportedOperationException("not called");
    }

    @Override
    public String modelId() {
      return "m";
    }

    @Override
    public java.util.Optional<dev.f2p.core.spi.CapacityPlan> capacityPlan() {
      return java.util.Optional.of(this);
    }

    @Override
    public int devices() {
      return 2;
    }

    @Override
    public int slots(int device) {
      return device + 2;
    }

    @Override
    public boolean available(int device) {
      return device == 0 || secondUp;
    }

    @Override
    public java.util.List<dev.f2p.core.spi.DeviceStatus> status() {
      return java.util.List.of(new dev.f2p.core.spi.DeviceStatus(0, "gpu-a:8000", true, 1, 2, 0, Duration.ofMillis(250)),
          new dev.f2p.core.spi.DeviceStatus(1, "gpu-b:8000", secondUp, 0, 3, secondUp ? 0 : 1, Duration.ZERO));
    }
  }

  @Test
  void deviceGaugesFollowTheEnginesEndpointsFoundThroughTheProvider() throws Exception {
    PolicySettings root = PolicySettings.of(Map.of("f2p.listener.micrometer.registry", "simple"));
    SecurityEventListener listener = new MicrometerSecurityMetricsProvider().create(root.scope("f2p.listener.micrometer"));
    TwoServers engine = new TwoServers();
    @SuppressWarnings("unchecked")
    java.util.concurrent.atomic.AtomicReference<Object> published = root.shared(
        dev.f2p.core.spi.ImageEditEngineProvider.SHARED_KEY, java.util.concurrent.atomic.AtomicReference.class,
        java.util.concurrent.atomic.AtomicReference::new);
    published.set(engine);
    listener.onEvent(SecurityEvent.builder(Stage.COMPLETE, Outcome.ALLOWED).build());
    MeterRegistry shared = root.shared(MicrometerSecurityMetricsProvider.REGISTRY_KEY, MeterRegistry.class,
        SimpleMeterRegistry::new);
    assertThat(shared.get(MicrometerSecurityMetrics.DEVICE_UP).tag("device", "gpu-b:8000").gauge().value()).isEqualTo(1);
    assertThat(shared.get(MicrometerSecurityMetrics.DEVICE_CAPACITY).tag("device", "gpu-b:8000").gauge().value())
        .isEqualTo(3);
    assertThat(shared.get(MicrometerSecurityMetrics.DEVICE_IN_FLIGHT).tag("device", "gpu-a:8000").gauge().value())
        .isEqualTo(1);
    assertThat(shared.get(MicrometerSecurityMetrics.DEVICE_LATENCY).tag("device", "gpu-a:8000").gauge().value())
        .isEqualTo(0.25);
    engine.secondUp = false;
    assertThat(shared.get(MicrometerSecurityMetrics.DEVICE_UP).tag("device", "gpu-b:8000").gauge().value()).isZero();
    assertThat(shared.get(MicrometerSecurityMetrics.DEVICE_EJECTIONS).tag("device", "gpu-b:8000").gauge().value())
        .isEqualTo(1);
    listener.onEvent(SecurityEvent.builder(Stage.COMPLETE, Outcome.ALLOWED).build());
    assertThat(shared.find(MicrometerSecurityMetrics.DEVICE_UP).gauges()).as("bound once").hasSize(2);
  }
}
