package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.internal.InMemoryImages;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ValidatedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** {@code f2p.engine.type=remote} from settings: through the client end to end, and every refusal naming its setting. */
class RemoteEngineProviderTest {
  private static final String MODEL = "qwen_image_edit_f2p";

  static Map<String, String> settings(String endpoints) {
    Map<String, String> s = new HashMap<>();
    s.put("f2p.engine.type", "remote");
    s.put("f2p.engine.protocol", "oip-grpc");
    s.put("f2p.engine.endpoints", endpoints);
    s.put("f2p.engine.model", MODEL);
    s.put("f2p.engine.model-version", "3");
    s.put("f2p.engine.allow-plaintext-loopback", "true");
    s.put("f2p.engine.health-interval", "2s");
    return s;
  }

  @Test
  void anEditGoesThroughTheClientToTheRemoteServer() throws Exception {
    try (GrpcModelServer server = new GrpcModelServer(MODEL, "3");
        ImageEditClient client = client(settings(server.uri() + "*2"))
            .resourceGuard(ResourceGuard.unguarded(Duration.ofSeconds(10), Clock.systemUTC()))
            .build()) {
      BufferedImage face = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      face.setRGB(3, 3, 0xff0000);
      EditResult result = null;
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      do {
        result = client.edit(EditRequest.builder().apiKey("k").clientAddress("192.0.2.1")
            .image(InMemoryImages.png(face)).prompt("a portrait").size(64, 64).steps(4).build());
      } while (!(result instanceof EditResult.Success) && System.nanoTime() < until);
      assertThat(result).isInstanceOfSatisfying(EditResult.Success.class, s -> {
        assertThat(s.width()).isEqualTo(64);
        assertThat(s.modelId()).isEqualTo(MODEL + ":3");
      });
      assertThat(server.requests.get()).isPositive();
    }
  }

  /** A client from {@code settings} over policies that pass everything, for the engine behind them. */
  static ImageEditClient.Builder client(Map<String, String> settings) {
    return ImageEditClient.builder().configure(settings)
        .authenticator((key, address) -> Decision.allow(new Principal("user-1", Set.of(Role.USER), "k1")))
        .rateLimiter(RateLimiter.unlimited())
        .promptFilter(PromptFilter.acceptAll())
        .imageValidator((bytes, principal) -> {
          try {
            return Decision.allow(new ValidatedImage(ImageIO.read(new ByteArrayInputStream(bytes)), "png"));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void everyMissingOrUnsafeSettingIsRefusedByName() {
    RemoteEngineProvider provider = new RemoteEngineProvider();
    Map<String, String> noModel = settings("http://127.0.0.1:1");
    noModel.remove("f2p.engine.model");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(noModel).scope("f2p.engine")))
        .hasMessage("missing setting f2p.engine.model");
    Map<String, String> noEndpoints = settings("");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(noEndpoints).scope("f2p.engine")))
        .hasMessage("missing setting f2p.engine.endpoints");
    Map<String, String> badProtocol = settings("http://127.0.0.1:1");
    badProtocol.put("f2p.engine.protocol", "soap");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(badProtocol).scope("f2p.engine")))
        .hasMessage("protocol must be openai, oip-rest or oip-grpc: soap");
    Map<String, String> plain = settings("http://192.0.2.10:8000");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(plain).scope("f2p.engine")))
        .hasMessageContaining("http://192.0.2.10:8000 is plain http");
    Map<String, String> noCredential = settings("https://192.0.2.10:8000");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(noCredential).scope("f2p.engine")))
        .hasMessageContaining("needs a client certificate or a bearer token");
    Map<String, String> halfMtls = settings("https://192.0.2.10:8000");
    halfMtls.put("f2p.engine.client-certificate", "/nonexistent.pem");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(halfMtls).scope("f2p.engine")))
        .hasMessageContaining("f2p.engine.client-key");
    Map<String, String> badCapacity = settings("http://127.0.0.1:1*0");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(badCapacity).scope("f2p.engine")))
        .hasMessageContaining("f2p.engine.endpoints").hasMessageContaining("capacity must be 1..4096: 0");
    Map<String, String> missingEnv = settings("https://192.0.2.10:8000");
    missingEnv.put("f2p.engine.bearer-token-env", "F2P_TEST_NO_SUCH_VARIABLE");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(missingEnv).scope("f2p.engine")))
        .hasMessage("environment variable F2P_TEST_NO_SUCH_VARIABLE holds no bearer token");
  }
}
