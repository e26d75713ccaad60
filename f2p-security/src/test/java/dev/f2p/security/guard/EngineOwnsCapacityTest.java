package dev.f2p.security.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditResult;
import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.testing.Await;
import dev.f2p.testing.TestClients;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One owner of capacity, through the client: the engine declares its plan, the resource guard is built from
 * it at construction (the default guard, or {@code f2p.resource-guard.type=standard}), and never lets more
 * into the engine at once than it declares; a guard larger than the plan does not build.
 */
class EngineOwnsCapacityTest {
  /**
   * An engine with a declared plan that really counts what runs in it, per device, holding each request until
   * the test opens the gate; it reports free device memory as the test sets it.
   */
  static final class PlannedEngine implements ImageEditEngine {
    final int[] slots;
    final CapacityPlanGuardTest.Servers plan;
    final AtomicIntegerArray inFlight;
    final AtomicIntegerArray most;
    final AtomicInteger total = new AtomicInteger();
    final AtomicInteger mostInAll = new AtomicInteger();
    final AtomicBoolean unnamedDevice = new AtomicBoolean();
    final AtomicReference<OptionalLong> freeMemory = new AtomicReference<>(OptionalLong.empty());
    volatile CountDownLatch gate = new CountDownLatch(0);

    PlannedEngine(int... slots) {
      this.slots = slots.clone();
      this.plan = new CapacityPlanGuardTest.Servers(slots);
      this.inFlight = new AtomicIntegerArray(slots.length);
      this.most = new AtomicIntegerArray(slots.length);
    }

    @Override
    public GeneratedImage edit(EngineRequest request) throws EngineException {
      int d = request.device().orElse(-1);
      if (d < 0 || d >= slots.length) {
        unnamedDevice.set(true);
        throw new EngineException(ReasonCode.ENGINE_FAILURE, "the lease named no device of the plan: " + d);
      }
      int now = inFlight.incrementAndGet(d);
      most.accumulateAndGet(d, now, Math::max);
      mostInAll.accumulateAndGet(total.incrementAndGet(), Math::max);
      try {
        if (!gate.await(20, TimeUnit.SECONDS)) {
          throw new EngineException(ReasonCode.TIMEOUT, "the test never opened the gate");
        }
        return new GeneratedImage(new BufferedImage(request.width(), request.height(), BufferedImage.TYPE_INT_RGB),
            "planned-1");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException(ReasonCode.TIMEOUT, "interrupted");
      } finally {
        total.decrementAndGet();
        inFlight.decrementAndGet(d);
      }
    }

    @Override
    public String modelId() {
      return "planned-1";
    }

    @Override
    public OptionalLong freeDeviceMemoryBytes() {
      return freeMemory.get();
    }

    @Override
    public Optional<CapacityPlan> capacityPlan() {
      return Optional.of(plan);
    }
  }

  /** The test keys and permissive policies; no resource guard: the client makes its default. */
  private static ImageEditClient.Builder client(ImageEditEngine engine) {
    return ImageEditClient.builder()
        .authenticator(new TestClients.Keys())
        .rateLimiter(dev.f2p.core.spi.RateLimiter.unlimited())
        .promptFilter(dev.f2p.core.spi.PromptFilter.acceptAll())
        .imageValidator((bytes, p) -> dev.f2p.core.spi.Decision.allow(
            new dev.f2p.core.spi.ValidatedImage(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "PNG")))
        .engine(engine);
  }

  private static EditResult edit(ImageEditClient client) {
    return client.edit(TestClients.request(TestClients.ALICE_KEY).build());
  }

  /**
   * The attack: 16 callers at once against a plan of 3 (device 0 takes 1, device 1 takes 2). The engine holds
   * everything it gets until the test sees the plan full; never more than the plan is in it, on any device,
   * and every lease names a device of the plan.
   */
  @Test
  void aFloodLargerThanThePlanNeverPutsMoreIntoTheEngineThanItDeclares() throws Exception {
    PlannedEngine engine = new PlannedEngine(1, 2);
    engine.gate = new CountDownLatch(1);
    try (ImageEditClient client = client(engine).build()) {
      Map<String, AtomicInteger> outcomes = flood(client, engine, 16, 3);
      assertThat(engine.mostInAll.get()).isEqualTo(3);
      assertThat(engine.most.get(0)).isLessThanOrEqualTo(1);
      assertThat(engine.most.get(1)).isLessThanOrEqualTo(2);
      assertThat(engine.unnamedDevice).isFalse();
      assertThat(outcomes.keySet()).as("outcomes " + outcomes).isSubsetOf(Set.of("OK", "OVERLOADED"));
      assertThat(outcomes.get("OK").get()).as("outcomes " + outcomes).isGreaterThanOrEqualTo(3);
    }
  }

  /** Runs {@code callers} edits at once; opens the engine's gate once {@code full} are inside it. */
  private static Map<String, AtomicInteger> flood(ImageEditClient client, PlannedEngine engine, int callers, int full)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        all.add(pool.submit(() -> {
          EditResult r = edit(client);
          String key = r instanceof EditResult.Rejected rej ? rej.reason().name() : "OK";
          outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }));
      }
      Await.until(full + " requests in the engine", () -> engine.total.get() == full);
      engine.gate.countDown();
      for (Future<?> f : all) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return outcomes;
  }

  @Test
  void newBuilderWithAnotherEngineBuildsAFreshDefaultGuardFromThatEnginesPlan() throws Exception {
    PlannedEngine small = new PlannedEngine(1);
    PlannedEngine large = new PlannedEngine(3);
    large.gate = new CountDownLatch(1);
    try (ImageEditClient first = client(small).build(); ImageEditClient derived = first.newBuilder().engine(large).build()) {
      // The guard of the first client (one slot) would never let three in at once.
      flood(derived, large, 8, 3);
      assertThat(large.mostInAll.get()).isEqualTo(3);
      assertThat(edit(first)).isInstanceOf(EditResult.Success.class);
      assertThat(small.mostInAll.get()).isEqualTo(1);
    }
  }

  @Test
  void anExplicitGuardLargerThanTheEnginesPlanFailsTheBuildAndASmallerOneIsAllowed() {
    PlannedEngine engine = new PlannedEngine(1, 2);
    assertThatThrownBy(() -> client(engine).resourceGuard(StandardResourceGuard.builder().slotsPerDevice(2).build())
        .build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("the resource guard admits 2 at once on device 0 but the engine declares 1 there")
        .hasMessageContaining("the engine would queue what the guard admitted");
    assertThatThrownBy(() -> client(engine).resourceGuard(StandardResourceGuard.builder().devices(3).build()).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("the resource guard admits 3 at once on 3 device(s) but the engine declares 3 at once on "
            + "2 device(s)");
    assertThatThrownBy(() -> client(engine).resourceGuard(StandardResourceGuard.builder()
        .capacityPlan(new CapacityPlanGuardTest.Servers(2, 2)).build()).build())
        .isInstanceOf(F2pConfigurationException.class).hasMessageContaining("admits 4 at once on 2 device(s)");
    // As large as the plan (built from it), or smaller: the engine idles a little, nothing queues inside it.
    client(engine).resourceGuard(StandardResourceGuard.builder().capacityPlan(engine.plan).build()).build().close();
    client(engine).resourceGuard(StandardResourceGuard.ofDefaults()).build().close();
    // A guard that keeps no slots is the host's explicit choice to bound capacity elsewhere.
    client(engine).resourceGuard(dev.f2p.core.spi.ResourceGuard.unguarded(Duration.ofSeconds(5),
        java.time.Clock.systemUTC())).build().close();
  }

  @Test
  void minDeviceFreeFromSettingsRefusesWhileTheEngineReportsLessFreeMemory() {
    PlannedEngine engine = new PlannedEngine(1);
    try (ImageEditClient client = client(engine).configure(Map.of("f2p.resource-guard.type", "standard",
        "f2p.resource-guard.min-device-free", "2g", "f2p.resource-guard.min-heap-free", "0")).build()) {
      // Unknown (a CPU device): admitted, and said once in the log.
      assertThat(edit(client)).isInstanceOf(EditResult.Success.class);
      engine.freeMemory.set(OptionalLong.of(1L << 30));
      EditResult low = edit(client);
      assertThat(low).isInstanceOf(EditResult.Rejected.class);
      assertThat(((EditResult.Rejected) low).reason()).isEqualTo(ReasonCode.OVERLOADED);
      assertThat(((EditResult.Rejected) low).rejection().detail()).isEqualTo(StandardResourceGuard.LOW_MEMORY);
      engine.freeMemory.set(OptionalLong.of(3L << 30));
      assertThat(edit(client)).isInstanceOf(EditResult.Success.class);
    }
  }

  @Test
  void theGuardsOwnSlotsFromSettingsBesideAnEngineThatDeclaresItsCapacityFailTheBuildNamingBoth() {
    PlannedEngine engine = new PlannedEngine(2);
    for (String own : List.of("devices", "slots-per-device")) {
      assertThatThrownBy(() -> client(engine).configure(Map.of("f2p.resource-guard.type", "standard",
          "f2p.resource-guard." + own, "1")).build())
          .isInstanceOf(F2pConfigurationException.class)
          .hasMessageContaining("f2p.resource-guard." + own + " cannot be set: the engine declares its capacity (2 "
              + "slots on 1 devices, from f2p.engine.predictors-per-device or the endpoints' *N)");
    }
    // For an engine that declares none, they size the guard as before.
    TestClients.ScriptedEngine plain = new TestClients.ScriptedEngine();
    try (ImageEditClient c = client(plain).configure(Map.of("f2p.resource-guard.type", "standard",
        "f2p.resource-guard.devices", "1", "f2p.resource-guard.slots-per-device", "2")).build()) {
      assertThat(edit(c)).isInstanceOf(EditResult.Success.class);
    }
    // And without any guard, an engine without a plan leaves nothing to size a default from.
    assertThatThrownBy(() -> client(new TestClients.ScriptedEngine()).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("resourceGuard").hasMessageContaining("the engine declares no capacity plan");
  }
}
