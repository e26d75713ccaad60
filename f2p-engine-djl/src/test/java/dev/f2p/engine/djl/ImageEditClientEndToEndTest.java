package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.testing.TestImages;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ValidatedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both pipeline kinds through the whole client, configured by the {@code djl} provider's settings. */
class ImageEditClientEndToEndTest {
  static final String KEY = "f2p_engine_test_key_0123456789abcdef";
  @TempDir Path tmp;

  @Test
  void singlePassAndFlowMatchingRunThroughTheClient() {
    for (Path bundle : List.of(TestBundles.SINGLE_PASS, TestBundles.FLOW_MATCHING)) {
      try (ImageEditClient client = client(bundle, "5m", new CopyOnWriteArrayList<>())) {
        EditResult result = client.edit(request());
        assertThat(result).isInstanceOfSatisfying(EditResult.Success.class, s -> {
          assertThat(s.mediaType()).isEqualTo("image/png");
          assertThat(decode(s.image()).getWidth()).isEqualTo(128);
        });
      }
    }
  }

  @Test
  void aTamperedBundleTurnsEveryRequestIntoEngineUnavailable() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(bundle).trustedKey(TestBundles.PUBLIC_KEY)
        .integrityCheckEvery(Duration.ZERO).predictorsPerDevice(1).build();
    try (ImageEditClient client = policies(events).engine(engine).build()) {
      assertThat(client.edit(request())).isInstanceOf(EditResult.Success.class);
      BundleVerifierTest.flip(bundle.resolve("model.pt"));
      assertThat(engine.checkIntegrity()).isFalse();
      assertThat(client.edit(request())).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
    }
    assertThat(events).anySatisfy(e -> {
      assertThat(e.stage()).isEqualTo(Stage.MODEL_INTEGRITY);
      assertThat(e.detail()).contains("MODEL_TAMPERED");
    });
  }

  private static ImageEditClient client(Path bundle, String interval, List<SecurityEvent> events) {
    return policies(events)
        .configure(Map.of(
            "f2p.engine.type", "djl",
            "f2p.engine.bundle", bundle.toString(),
            "f2p.engine.trusted-keys", TestBundles.PUBLIC_KEY.toString(),
            "f2p.engine.predictors-per-device", "1",
            "f2p.engine.integrity-interval", interval))
        .build();
  }

  /** Small test policies of our own: one key, any PNG, no limits. */
  private static ImageEditClient.Builder policies(List<SecurityEvent> events) {
    Authenticator auth = (key, address) -> KEY.equals(key)
        ? Decision.allow(new Principal("tester", Set.of(Role.USER), "f2p_engine_t"))
        : Decision.reject(ReasonCode.UNAUTHENTICATED);
    ImageValidator images = (bytes, principal) -> Decision.allow(new ValidatedImage(decode(bytes), "PNG"));
    return ImageEditClient.builder()
        .authenticator(auth)
        .rateLimiter(RateLimiter.unlimited())
        .promptFilter(PromptFilter.acceptAll())
        .imageValidator(images)
        .resourceGuard(ResourceGuard.unguarded(Duration.ofMinutes(1), Clock.systemUTC()))
        .addListener(events::add);
  }

  private static EditRequest request() {
    return EditRequest.builder().apiKey(KEY).clientAddress("203.0.113.9").prompt("portrait at sunset")
        .image(TestImages.encode(TestBundles.face(96, 96), "png")).size(128, 128).steps(3).seed(11).build();
  }

  private static BufferedImage decode(byte[] bytes) {
    try {
      return ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
