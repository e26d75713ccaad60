package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GuardMetrics;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.testing.LeakCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The guard owns capacity: the engine's pool is sized from it, and a lease's device is where the request runs. */
@ExtendWith(LeakCheck.class)
class CapacityFromTheGuardTest {
  /** A guard that only reports its shape (the engine reads nothing else from it). */
  private static ResourceGuard shaped(int devices, int slotsPerDevice) {
    return new ResourceGuard() {
      @Override
      public dev.f2p.core.spi.Decision<dev.f2p.core.spi.Lease> acquire(dev.f2p.core.Principal p,
          dev.f2p.core.EditRequest r) {
        throw new UnsupportedOperationException("only its shape is read");
      }

      @Override
      public Optional<GuardMetrics> metrics() {
        return Optional.of(new GuardMetrics(0, 0, devices, slotsPerDevice));
      }
    };
  }

  @Test
  void thePoolHasTheGuardsSlotsAndRunsOnTheLeasedDeviceAndFreeMemoryIsUnknownOnTheCpu() throws Exception {
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(TestBundles.SINGLE_PASS)
        .trustedKey(TestBundles.PUBLIC_KEY).integrityCheckEvery(Duration.ZERO).sizedBy(shaped(1, 3)).build()) {
      assertThat(engine.devices()).containsExactly("cpu()");
      EngineRequest r = TestBundles.request("warm golden sunset", 64, 1, 1);
      EngineRequest onDevice0 = new EngineRequest(r.requestId(), r.image(), r.prompt(), r.negativePrompt(),
          r.width(), r.height(), r.steps(), r.guidanceScale(), r.seed(), r.deadline(), Clock.systemUTC(),
          r.progress(), OptionalInt.of(0));
      assertThat(engine.edit(onDevice0).pixels().getWidth()).isEqualTo(64);
      assertThat(engine.freeDeviceMemoryBytes()).isEmpty();
    }
  }

  @Test
  void aGuardCountingMoreDevicesThanThereAreFailsTheBuildNamingBoth() {
    assertThatThrownBy(() -> DjlImageEditEngine.builder().bundle(TestBundles.SINGLE_PASS)
        .trustedKey(TestBundles.PUBLIC_KEY).integrityCheckEvery(Duration.ZERO).sizedBy(shaped(2, 1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the resource guard counts 2 device(s) but the engine has 1 [cpu()]");
    assertThatThrownBy(() -> DjlImageEditEngine.builder().predictorsPerDevice(2).sizedBy(shaped(1, 1)))
        .isInstanceOf(IllegalStateException.class).hasMessage("predictorsPerDevice was already set");
  }
}
