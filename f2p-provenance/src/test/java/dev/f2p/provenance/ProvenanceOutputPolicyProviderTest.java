package dev.f2p.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.OutputPolicyProvider;
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
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProvenanceOutputPolicyProviderTest {
  private static final String KEY = new String(TestImages.KEY, java.nio.charset.StandardCharsets.UTF_8);

  private static OutputPolicy create(Map<String, String> settings) throws Exception {
    OutputPolicyProvider provider = ServiceLoader.load(OutputPolicyProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("provenance")).findFirst().orElseThrow();
    return provider.create(PolicySettings.of(settings).scope("f2p.output-policy"));
  }

  @Test
  void buildsFromSettingsFoundByServiceLoader() throws Exception {
    OutputPolicy policy = create(Map.of("f2p.output-policy.producer", "svc", "f2p.output-policy.format", "jpeg",
        "f2p.output-policy.label.text", "AI生成 | Synthetic", "f2p.output-policy.label.corner", "top-left",
        "f2p.output-policy.watermark.key", KEY));
    var out = (Decision.Allowed<dev.f2p.core.spi.OutputImage>) policy.apply(
        TestImages.generated(TestImages.engineLike().get(0).image()), TestImages.context("r"));
    assertThat(out.value().mediaType()).isEqualTo("image/jpeg");
    assertThat(ProvenanceReader.withWatermarkKey(TestImages.KEY).read(out.value().bytes()).watermark()).isPresent();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "format=gif; f2p.output-policy.format must be png or jpeg: gif",
    "watermark.enabled=maybe; f2p.output-policy.watermark.enabled must be true or false",
    "label.corner=middle; label corner must be",
    "watermark.key-env=F2P_SURELY_UNSET_VARIABLE; f2p.output-policy.watermark.key-env names an unset environment variable",
    "watermark.strength=9; watermark strength must be 0.5 to 2.0: 9.0",
    "jpeg-quality=x; f2p.output-policy.jpeg-quality must be a number: x"})
  void badSettingsFailNamingTheSetting(String setting, String message) {
    Map<String, String> settings = new HashMap<>(Map.of("f2p.output-policy.producer", "svc"));
    String[] kv = setting.split("=", 2);
    settings.put("f2p.output-policy." + kv[0], kv[1]);
    if (!kv[0].startsWith("watermark.key")) {
      settings.put("f2p.output-policy.watermark.key", KEY);
    }
    assertThatThrownBy(() -> create(settings)).hasMessageContaining(message);
  }

  @Test
  void requiresTheProducerAndOneKey() {
    assertThatThrownBy(() -> create(Map.of())).hasMessageContaining("f2p.output-policy.producer");
    assertThatThrownBy(() -> create(Map.of("f2p.output-policy.producer", "svc")))
        .hasMessageContaining("exactly one of f2p.output-policy.watermark.key and f2p.output-policy.watermark.key-env");
    assertThatThrownBy(() -> create(Map.of("f2p.output-policy.producer", "svc", "f2p.output-policy.watermark.key", "short")))
        .hasMessageContaining("at least 16 bytes").hasMessageNotContaining("short");
  }

  /** The policy runs as the pipeline's last stage: the final event carries produceId and payload. */
  @Test
  void runsInTheClientPipelineAndTheCompleteEventCarriesTheIds() throws Exception {
    List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    ImageEditEngine engine = new ImageEditEngine() {
      @Override
      public GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) {
        return new GeneratedImage(TestImages.engineLike().get(0).image(), "engine-like-1");
      }

      @Override
      public String modelId() {
        return "engine-like-1";
      }

      @Override
      public void close() {}
    };
    try (ImageEditClient client = ImageEditClient.builder()
        .authenticator((key, address) -> Decision.allow(new Principal("alice", Set.of(Role.USER), "k1")))
        .rateLimiter(RateLimiter.unlimited())
        .promptFilter(PromptFilter.acceptAll())
        .imageValidator((bytes, principal) -> Decision.allow(new ValidatedImage(TestImages.flat(64, 64, 0), "PNG")))
        .resourceGuard(ResourceGuard.unguarded(Duration.ofSeconds(30), Clock.systemUTC()))
        .engine(engine)
        .outputPolicy(ProvenanceOutputPolicy.builder().producer("svc").watermarkKey(TestImages.KEY).build())
        .addListener(events::add)
        .build()) {
      EditResult result = client.edit(EditRequest.builder().apiKey("key").clientAddress("203.0.113.7")
          .prompt("a portrait").image(Attacks.png(TestImages.flat(64, 64, 0))).size(512, 512).steps(1).build());
      assertThat(result).isInstanceOf(EditResult.Success.class);
      EditResult.Success success = (EditResult.Success) result;
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(success.image()));
      assertThat(image.getWidth()).isEqualTo(512);
      ProvenanceReport report = ProvenanceReader.withWatermarkKey(TestImages.KEY).read(success.image());
      SecurityEvent complete = events.get(events.size() - 1);
      assertThat(complete.attributes()).containsEntry("produceId", report.label().orElseThrow().produceId())
          .containsEntry("watermark.payload", report.watermark().orElseThrow().hex());
    }
  }
}
