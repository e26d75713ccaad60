package dev.f2p.engine.djl;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.f2p.testing.LeakCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.testing.TestClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LeakCheck.class)
class DjlImageEditEngineTest {
  static DjlImageEditEngine singlePass;
  static DjlImageEditEngine flow;

  @BeforeAll
  static void load() throws Exception {
    singlePass = DjlImageEditEngine.builder().bundle(TestBundles.SINGLE_PASS).trustedKey(TestBundles.PUBLIC_KEY)
        .integrityCheckEvery(Duration.ZERO).build();
    flow = DjlImageEditEngine.builder().bundle(TestBundles.FLOW_MATCHING).trustedKey(TestBundles.PUBLIC_KEY)
        .integrityCheckEvery(Duration.ZERO).build();
  }

  @AfterAll
  static void close() {
    singlePass.close();
    flow.close();
  }

  @Test
  void singlePassChangesTheImageDependingOnThePrompt() throws Exception {
    GeneratedImage warm = singlePass.edit(TestBundles.request("warm golden sunset", 512, 1, 1));
    GeneratedImage cold = singlePass.edit(TestBundles.request("cold blue winter night", 512, 1, 1));
    assertThat(warm.modelId()).isEqualTo("prompt-tint:1.0.0");
    assertThat(TestBundles.pixels(warm.pixels())).isNotEqualTo(TestBundles.pixels(cold.pixels()));
    assertThat(TestBundles.pixels(warm.pixels())).isNotEqualTo(TestBundles.pixels(TestBundles.face(512, 512)));
    assertThat(singlePass.devices()).containsExactly("cpu()");
  }

  @Test
  void flowMatchingReportsProgressAfterEveryStepAndHonoursTheRequestedSize() throws Exception {
    List<Integer> steps = new ArrayList<>();
    GeneratedImage out = flow.edit(TestBundles.request("portrait in a garden", 96, 5, 7, Instant.MAX,
        Clock.systemUTC(), (step, total) -> steps.add(step * 100 + total)));
    assertThat(steps).containsExactly(105, 205, 305, 405, 505);
    assertThat(out.pixels().getWidth()).isEqualTo(96);
  }

  @Test
  void sameSeedInputAndDeviceGiveTheSameBytes() throws Exception {
    int[] a = TestBundles.pixels(flow.edit(TestBundles.request("a woman smiling", 64, 4, 42)).pixels());
    int[] b = TestBundles.pixels(flow.edit(TestBundles.request("a woman smiling", 64, 4, 42)).pixels());
    int[] c = TestBundles.pixels(flow.edit(TestBundles.request("a woman smiling", 64, 4, 43)).pixels());
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    int[] s1 = TestBundles.pixels(singlePass.edit(TestBundles.request("studio light", 512, 1, 1)).pixels());
    int[] s2 = TestBundles.pixels(singlePass.edit(TestBundles.request("studio light", 512, 1, 1)).pixels());
    assertThat(s1).isEqualTo(s2);
  }

  @Test
  void aRequestPastItsDeadlineStopsBetweenStepsWithTimeoutAndFreesItsArrays() throws Exception {
    TestClock clock = new TestClock();
    Instant deadline = clock.instant().plusSeconds(10);
    List<Integer> steps = new ArrayList<>();
    long before = liveArrays();
    assertThatThrownBy(() -> flow.edit(TestBundles.request("night city", 64, 10, 1, deadline, clock, (step, total) -> {
      steps.add(step);
      if (step == 3) {
        clock.advance(java.time.Duration.between(clock.instant(), deadline.plusMillis(1)));
      }
    }))).isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.TIMEOUT));
    assertThat(steps).containsExactly(1, 2, 3);
    assertThat(liveArrays()).isEqualTo(before);
  }

  @Test
  void manyRequestsLeaveNoLiveNativeArrays() throws Exception {
    flow.edit(TestBundles.request("warm up", 64, 2, 1));
    long before = liveArrays();
    for (int i = 0; i < 25; i++) {
      flow.edit(TestBundles.request("portrait " + i, 64, 3, i));
      singlePass.edit(TestBundles.request("portrait " + i, 128, 1, i));
    }
    assertThat(liveArrays()).isEqualTo(before);
  }

  @Test
  void theLiveArrayCountSeesALeak() {
    long before = liveArrays();
    try (NDManager leaky = NDManager.newBaseManager("PyTorch")) {
      leaky.create(new float[] {1f, 2f});
      assertThat(liveArrays()).isEqualTo(before + 1);
    }
    assertThat(liveArrays()).isEqualTo(before);
  }

  @Test
  void concurrentRequestsShareTheBoundedPoolAndGetTheirOwnResults() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<int[]>> futures = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        long seed = i % 3;
        futures.add(pool.submit(() -> TestBundles.pixels(
            flow.edit(TestBundles.request("a man in a suit", 64, 3, seed)).pixels())));
      }
      for (int i = 0; i < futures.size(); i++) {
        int[] expected = TestBundles.pixels(flow.edit(TestBundles.request("a man in a suit", 64, 3, i % 3)).pixels());
        assertThat(futures.get(i).get(2, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRequestThatFindsNoFreePredictorBeforeItsDeadlineTimesOut(@TempDir Path tmp) throws Exception {
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(TestBundles.copy(TestBundles.FLOW_MATCHING, tmp))
        .trustedKey(TestBundles.PUBLIC_KEY).integrityCheckEvery(Duration.ZERO).predictorsPerDevice(1).build()) {
      java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      Thread holder = new Thread(() -> {
        try {
          engine.edit(TestBundles.request("hold", 64, 2, 1, Instant.MAX, Clock.systemUTC(), (step, total) -> {
            running.countDown();
            try {
              release.await(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
        } catch (EngineException e) {
          throw new IllegalStateException(e);
        }
      });
      holder.start();
      assertThat(running.await(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      Clock clock = Clock.systemUTC();
      assertThatThrownBy(() -> engine.edit(TestBundles.request("late", 64, 1, 1, clock.instant().minusSeconds(1),
          clock, (step, total) -> {}))).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.reason()).isEqualTo(ReasonCode.TIMEOUT);
            assertThat(e.getMessage()).contains("no predictor free");
          });
      release.countDown();
      holder.join(60_000);
    }
  }

  @Test
  void aClosedEngineIsUnavailable(@TempDir Path tmp) throws Exception {
    DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(TestBundles.copy(TestBundles.SINGLE_PASS, tmp))
        .trustedKey(TestBundles.PUBLIC_KEY).integrityCheckEvery(Duration.ZERO).predictorsPerDevice(1).build();
    engine.close();
    assertThat(engine.isAvailable()).isFalse();
    assertThatThrownBy(() -> engine.edit(TestBundles.request("x", 64, 1, 1)))
        .isInstanceOfSatisfying(EngineException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
  }

  @Test
  void requiringAGpuWhereThereIsNoneFailsAtLoad() {
    assertThatThrownBy(() -> DjlImageEditEngine.builder().bundle(TestBundles.SINGLE_PASS)
        .trustedKey(TestBundles.PUBLIC_KEY).requireGpu(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no GPU");
    assertThatThrownBy(() -> DjlImageEditEngine.builder().bundle(TestBundles.SINGLE_PASS)
        .trustedKey(TestBundles.PUBLIC_KEY).device("gpu3").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("gpu3");
  }

  @Test
  void builderRefusesBadAndRepeatedSettings() {
    assertThatThrownBy(() -> DjlImageEditEngine.builder().device("tpu")).hasMessageContaining("tpu");
    assertThatThrownBy(() -> DjlImageEditEngine.builder().predictorsPerDevice(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> DjlImageEditEngine.builder().bundle(Path.of("a")).bundle(Path.of("b")))
        .hasMessageContaining("already");
    assertThatThrownBy(() -> DjlImageEditEngine.builder().build()).hasMessageContaining("bundle");
  }

  /** Live native arrays across every manager: the root manager counts them all. */
  static long liveArrays() {
    try (NDManager probe = NDManager.newBaseManager("PyTorch")) {
      return ((ai.djl.ndarray.BaseNDManager) probe.getParentManager()).getManagedArrays().size();
    }
  }

}
