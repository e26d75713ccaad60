package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GuardMetrics;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.internal.InMemoryImages;
import dev.f2p.security.guard.StandardResourceGuard;
import dev.f2p.security.guard.StandardResourceGuardProvider;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One owner of capacity: the engine declares the endpoints' capacities, the standard guard is built from that
 * plan (after the engine, from the same settings or as the client's default), leases name the endpoint the
 * engine then calls, and a flood while an endpoint is down (or goes down) never pushes the others past their
 * capacity.
 */
class CapacityOwnershipTest {
  private static final String MODEL = "qwen_image_edit_f2p";

  /** The engine's settings as the provider test has them, with the standard guard built beside it. */
  private static Map<String, String> settings(String endpoints) {
    Map<String, String> s = RemoteEngineProviderTest.settings(endpoints);
    s.put("f2p.resource-guard.type", "standard");
    s.put("f2p.resource-guard.queue", "0");
    s.put("f2p.resource-guard.max-wait", "0s");
    return s;
  }

  @Test
  void theGuardFromSettingsHasTheEndpointsSlotsAndItsLeasesNameTheEndpointCalled() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3"); GrpcModelServer b = new GrpcModelServer(MODEL, "3")) {
      PolicySettings all = PolicySettings.of(settings(a.uri() + "*2," + b.uri() + "*3"));
      try (RemoteImageEditEngine engine = (RemoteImageEditEngine) new RemoteEngineProvider()
          .create(all.scope("f2p.engine"))) {
        StandardResourceGuard guard = (StandardResourceGuard) new StandardResourceGuardProvider()
            .create(all.scope("f2p.resource-guard"), engine);
        Requests.awaitAvailable(engine);
        awaitAllUp(engine);
        assertThat(guard.capacity()).isEqualTo(5);
        GuardMetrics m = guard.metrics().orElseThrow();
        assertThat(m.devices()).isEqualTo(2);
        assertThat(m.capacity()).isEqualTo(5);

        List<Lease> leases = new ArrayList<>();
        Map<Integer, Integer> perEndpoint = new HashMap<>();
        for (int i = 0; i < 5; i++) {
          Lease lease = leased(guard);
          leases.add(lease);
          perEndpoint.merge(lease.device().orElseThrow(), 1, Integer::sum);
        }
        assertThat(perEndpoint).containsExactlyInAnyOrderEntriesOf(Map.of(0, 2, 1, 3));
        assertThat(((Decision.Rejected<Lease>) guard.acquire(user(), edit())).rejection().detail())
            .isEqualTo(StandardResourceGuard.QUEUE_FULL);
        leases.forEach(Lease::close);

        // The engine calls the endpoint the lease named.
        Lease onB = null;
        List<Lease> held = new ArrayList<>();
        while (onB == null) {
          Lease l = leased(guard);
          if (l.device().orElseThrow() == 1) {
            onB = l;
          } else {
            held.add(l);
          }
        }
        engine.edit(Requests.onDevice(Requests.edit(), onB.device()));
        assertThat(b.requests.get()).isEqualTo(1);
        assertThat(a.requests.get()).isZero();
        onB.close();
        held.forEach(Lease::close);
        assertThat(engine.endpointStatus().get(1).lastLatency()).isPositive();
      }
    }
  }

  @Test
  void aGuardWithItsOwnSlotsBesideTheEndpointsFailsTheBuildNamingBoth() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3")) {
      Map<String, String> s = settings(a.uri() + "*2");
      s.put("f2p.resource-guard.slots-per-device", "8");
      assertThatThrownBy(() -> client(s)).isInstanceOf(F2pConfigurationException.class)
          .hasMessageContaining("f2p.resource-guard.slots-per-device cannot be set: the engine declares its capacity "
              + "(2 slots on 1 devices, from f2p.engine.predictors-per-device or the endpoints' *N)");
    }
  }

  /** The builder path: an explicit guard admitting more than the endpoints accept does not build; a smaller one does. */
  @Test
  void anExplicitGuardLargerThanTheEndpointsFailsTheBuild() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3");
        RemoteImageEditEngine engine = engine(a.uri() + "*2")) {
      assertThatThrownBy(() -> RemoteEngineProviderTest.client(Map.of()).engine(engine)
          .resourceGuard(StandardResourceGuard.builder().slotsPerDevice(3).build()).build())
          .isInstanceOf(F2pConfigurationException.class)
          .hasMessageContaining("the resource guard admits 3 at once on 1 device(s) but the engine declares 2 at once"
              + " on 1 device(s)");
      // A smaller guard is allowed; the builder does not close the host's engine when another build fails.
      try (ImageEditClient client = RemoteEngineProviderTest.client(Map.of()).engine(engine)
          .resourceGuard(StandardResourceGuard.ofDefaults()).build()) {
        Requests.awaitAvailable(engine);
        assertThat(client.edit(request())).isInstanceOf(EditResult.Success.class);
      }
    }
  }

  /**
   * {@code newBuilder().engine(other)}: the derived client's default guard comes from the new engine's
   * endpoints (capacity 3), not from the first engine's (capacity 1). A flood on the derived client fills the
   * new endpoint exactly to its capacity and never past it.
   */
  @Test
  void newBuilderWithAnotherRemoteEngineGetsAFreshGuardFromItsEndpoints() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3"); GrpcModelServer b = new GrpcModelServer(MODEL, "3")) {
      RemoteImageEditEngine small = engine(a.uri() + "*1");
      RemoteImageEditEngine large = engine(b.uri() + "*3");
      b.holdMillis = 1000;
      try (ImageEditClient first = RemoteEngineProviderTest.client(Map.of()).engine(small).build();
          ImageEditClient derived = first.newBuilder().engine(large).build()) {
        Requests.awaitAvailable(small);
        Requests.awaitAvailable(large);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
          List<Future<EditResult>> all = new ArrayList<>();
          for (int i = 0; i < 6; i++) {
            all.add(callers.submit(() -> derived.edit(request())));
          }
          for (Future<EditResult> f : all) {
            assertThat(f.get()).isInstanceOf(EditResult.Success.class);
          }
        } finally {
          callers.shutdownNow();
        }
        assertThat(b.maxInFlight.get()).as("the new endpoint at once").isEqualTo(3);
        assertThat(a.requests.get()).as("the first engine's endpoint").isZero();
        assertThat(first.edit(request())).isInstanceOf(EditResult.Success.class);
        assertThat(a.maxInFlight.get()).isEqualTo(1);
      }
    }
  }

  /** A remote engine from the provider test's settings, for the builder path (no guard in its settings). */
  private static RemoteImageEditEngine engine(String endpoints) throws Exception {
    return (RemoteImageEditEngine) new RemoteEngineProvider()
        .create(PolicySettings.of(RemoteEngineProviderTest.settings(endpoints)).scope("f2p.engine"));
  }

  /**
   * The attack: 40 callers at once while one endpoint is down, then while another dies mid-flood. No server
   * ever runs more than its declared 2 at once, the guard never has more slots out than the live endpoints
   * hold, and every caller gets an answer or a typed refusal.
   */
  @Test
  void aFloodWhileAnEndpointIsDownNeverOverloadsTheOthers() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3"); GrpcModelServer b = new GrpcModelServer(MODEL, "3");
        GrpcModelServer c = new GrpcModelServer(MODEL, "3")) {
      a.holdMillis = 150;
      b.holdMillis = 150;
      c.holdMillis = 150;
      String down = "http://127.0.0.1:" + freePort();
      Map<String, String> s = settings(a.uri() + "*2," + b.uri() + "*2," + down + "*2," + c.uri() + "*2");
      s.put("f2p.resource-guard.queue", "64");
      s.put("f2p.resource-guard.max-wait", "3s");
      try (ImageEditClient client = client(s)) {
        List<GrpcModelServer> live = List.of(a, b, c);
        ExecutorService callers = Executors.newFixedThreadPool(40);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        try {
          List<Future<?>> all = new ArrayList<>();
          for (int i = 0; i < 120; i++) {
            int n = i;
            all.add(callers.submit(() -> {
              if (n == 60) {
                c.close(); // dies mid-flood: its leases must not spill onto a and b beyond their capacity
              }
              EditResult r = client.edit(request());
              String key = r instanceof EditResult.Rejected rej ? rej.reason().name() : "OK";
              outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }));
          }
          for (Future<?> f : all) {
            f.get();
          }
        } finally {
          callers.shutdownNow();
        }
        assertThat(a.maxInFlight.get()).as("endpoint a at once").isLessThanOrEqualTo(2);
        assertThat(b.maxInFlight.get()).as("endpoint b at once").isLessThanOrEqualTo(2);
        assertThat(c.maxInFlight.get()).as("endpoint c at once").isLessThanOrEqualTo(2);
        assertThat(outcomes.get("OK")).as("outcomes " + outcomes).isNotNull();
        assertThat(outcomes.keySet()).as("outcomes " + outcomes)
            .isSubsetOf(Set.of("OK", "OVERLOADED", "ENGINE_UNAVAILABLE"));
        assertThat(live).allMatch(server -> server.inFlight.get() == 0);
      }
    }
  }

  private static Lease leased(StandardResourceGuard guard) {
    return ((Decision.Allowed<Lease>) guard.acquire(user(), edit())).value();
  }

  private static void awaitAllUp(RemoteImageEditEngine engine) {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!engine.endpointStatus().stream().allMatch(dev.f2p.core.spi.DeviceStatus::up) && System.nanoTime() < until) {
      ModelServer.sleep(20);
    }
    assertThat(engine.endpointStatus()).allMatch(dev.f2p.core.spi.DeviceStatus::up);
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Principal user() {
    return new Principal("user-1", Set.of(Role.USER), "k1");
  }

  private static EditRequest edit() {
    return request();
  }

  private static EditRequest request() {
    BufferedImage face = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    face.setRGB(3, 3, 0xff0000);
    return EditRequest.builder().apiKey("k").clientAddress("192.0.2.1").image(InMemoryImages.png(face))
        .prompt("a portrait").size(64, 64).steps(4).build();
  }

  private static ImageEditClient client(Map<String, String> settings) {
    return RemoteEngineProviderTest.client(settings).build();
  }

}
