package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.security.guard.StandardResourceGuard;
import dev.f2p.testing.LeakCheck;
import dev.f2p.testing.TestImages;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine owns capacity: its plan is its devices x predictors per device, the resource guard is built from
 * it after the engine, and a lease's device is where the request runs.
 */
@ExtendWith(LeakCheck.class)
class CapacityFromTheEngineTest {
  @Test
  void thePlanIsTheDevicesTimesThePredictorsAndALeasedDeviceRunsTheRequest() throws Exception {
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(TestBundles.SINGLE_PASS)
        .trustedKey(TestBundles.PUBLIC_KEY).integrityCheckEvery(Duration.ZERO).predictorsPerDevice(3).build()) {
      assertThat(engine.devices()).containsExactly("cpu()");
      CapacityPlan plan = engine.capacityPlan().orElseThrow();
      assertThat(plan.devices()).isEqualTo(1);
      assertThat(plan.slots(0)).isEqualTo(3);
      assertThat(plan.capacity()).isEqualTo(3);
      assertThat(plan.available(0)).isTrue();
      assertThat(plan.name(0)).isEqualTo("cpu");
      EngineRequest r = TestBundles.request("warm golden sunset", 64, 1, 1);
      EngineRequest onDevice0 = new EngineRequest(r.requestId(), r.image(), r.prompt(), r.negativePrompt(),
          r.width(), r.height(), r.steps(), r.guidanceScale(), r.seed(), r.deadline(), Clock.systemUTC(),
          r.progress(), OptionalInt.of(0));
      assertThat(engine.edit(onDevice0).pixels().getWidth()).isEqualTo(64);
      DeviceStatus status = plan.status().get(0);
      assertThat(status.name()).isEqualTo("cpu");
      assertThat(status.up()).isTrue();
      assertThat(status.inFlight()).isZero();
      assertThat(status.capacity()).isEqualTo(3);
      assertThat(status.lastLatency()).isPositive();
      assertThat(engine.freeDeviceMemoryBytes()).as("unknown on the CPU").isEmpty();
    }
  }

  @Test
  void theGuardFromSettingsIsSizedByPredictorsPerDeviceAndItsLeasesNameTheEnginesDevice() {
    PolicySettings settings = PolicySettings.of(settings("2"));
    List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    try (ImageEditClient client = policies().configure(settings).addListener(events::add).build()) {
      @SuppressWarnings("unchecked")
      AtomicReference<Object> guard = settings.findShared(ResourceGuardProvider.SHARED_KEY, AtomicReference.class)
          .orElseThrow();
      StandardResourceGuard g = (StandardResourceGuard) guard.get();
      assertThat(g.capacity()).isEqualTo(2);
      assertThat(g.metrics().orElseThrow().devices()).isEqualTo(1);
      assertThat(client.edit(request())).isInstanceOf(EditResult.Success.class);
      // The request's events say which device of the engine's plan the guard leased and the engine ran it on.
      assertThat(events).anySatisfy(e -> {
        assertThat(e.stage()).isEqualTo(Stage.COMPLETE);
        assertThat(e.attributes()).containsEntry("device", "0").containsEntry("device.name", "cpu");
      });
    }
  }

  /** The guard's own slots beside the engine's fail the build naming both, and the loaded engine is closed. */
  @Test
  void theGuardsOwnSlotsFailTheBuildAfterTheEngineLoadedAndTheEngineIsClosed() {
    Map<String, String> s = settings("2");
    s.put("f2p.resource-guard.slots-per-device", "4");
    // LeakCheck fails this test if the engine's native arrays or threads outlive the failed build.
    assertThatThrownBy(() -> policies().configure(s).build()).isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("f2p.resource-guard.slots-per-device cannot be set: the engine declares its capacity "
            + "(2 slots on 1 devices");
  }

  private static Map<String, String> settings(String predictors) {
    Map<String, String> s = new HashMap<>();
    s.put("f2p.engine.type", "djl");
    s.put("f2p.engine.bundle", TestBundles.SINGLE_PASS.toString());
    s.put("f2p.engine.trusted-keys", TestBundles.PUBLIC_KEY.toString());
    s.put("f2p.engine.predictors-per-device", predictors);
    s.put("f2p.engine.integrity-interval", "0s");
    s.put("f2p.resource-guard.type", "standard");
    s.put("f2p.resource-guard.min-heap-free", "0");
    return s;
  }

  private static ImageEditClient.Builder policies() {
    return ImageEditClient.builder()
        .authenticator((key, address) -> Decision.allow(new Principal("tester", Set.of(Role.USER), "k1")))
        .rateLimiter(RateLimiter.unlimited())
        .promptFilter(PromptFilter.acceptAll())
        .imageValidator((bytes, principal) -> Decision.allow(new ValidatedImage(TestBundles.face(96, 96), "PNG")));
  }

  private static EditRequest request() {
    BufferedImage face = TestBundles.face(96, 96);
    return EditRequest.builder().apiKey("k").clientAddress("203.0.113.9").prompt("portrait at sunset")
        .image(TestImages.encode(face, "png")).size(64, 64).steps(1).seed(11).build();
  }
}
