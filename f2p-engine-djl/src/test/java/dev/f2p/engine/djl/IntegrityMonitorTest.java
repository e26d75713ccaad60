package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityMonitorTest {
  @TempDir Path tmp;

  @Test
  void aChangeAfterLoadDisablesTheEngineAndPublishesOneCriticalEvent() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(bundle).trustedKey(TestBundles.PUBLIC_KEY)
        .integrityCheckEvery(Duration.ZERO).predictorsPerDevice(1).build()) {
      engine.attach(events::add);
      assertThat(engine.checkIntegrity()).isTrue();
      BundleVerifierTest.flip(bundle.resolve("model.pt"));
      assertThat(engine.checkIntegrity()).isFalse();
      assertThat(engine.checkIntegrity()).isFalse();
      assertThat(engine.isAvailable()).isFalse();
      assertThatThrownBy(() -> engine.edit(TestBundles.request("x", 64, 1, 1)))
          .isInstanceOfSatisfying(EngineException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
    }
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.stage()).isEqualTo(Stage.MODEL_INTEGRITY);
      assertThat(e.detail()).contains(DjlImageEditEngine.MODEL_TAMPERED);
      assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(e.attributes().get("problem")).contains("model.pt");
    });
  }

  @Test
  void aRemovedSignatureIsNoticedWhenOneIsRequired() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(bundle).trustedKey(TestBundles.PUBLIC_KEY)
        .integrityCheckEvery(Duration.ZERO).predictorsPerDevice(1).build()) {
      Files.delete(bundle.resolve("model.sig"));
      assertThat(engine.checkIntegrity()).isFalse();
    }
  }

  @Test
  void theScheduledMonitorDetectsTamperingWithinOnePeriod() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    CountDownLatch tampered = new CountDownLatch(1);
    java.util.Set<Thread> before = monitorThreads();
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(bundle)
        .trustedKey(TestBundles.PUBLIC_KEY).integrityCheckEvery(Duration.ofMillis(50)).predictorsPerDevice(1).build()) {
      engine.attach(e -> tampered.countDown());
      Files.writeString(bundle.resolve("extra.bin"), "planted");
      // The bound is generous for a loaded machine; the monitor runs every 50 ms.
      assertThat(tampered.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(engine.isAvailable()).isFalse();
    }
    assertThat(before).containsAll(monitorThreads());
  }

  private static java.util.Set<Thread> monitorThreads() {
    java.util.Set<Thread> s = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
    s.removeIf(t -> !t.getName().startsWith("f2p-bundle-integrity-") || !t.isAlive());
    return s;
  }
}
