package dev.f2p.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.security.incident.ContainmentRule;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentTarget;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The NSFW policies built from settings, in the pipeline, with the containment rules watching. */
class NsfwThroughTheClientTest {
  private static final String KEY = "f2p_test_nsfw_5a0c2e4f6a8b0c1d2e3f4a5b";

  private final AtomicInteger engineCalls = new AtomicInteger();
  private final AtomicReference<BufferedImage> output = new AtomicReference<>();
  private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

  private final ImageEditEngine engine = new ImageEditEngine() {
    @Override
    public GeneratedImage edit(EngineRequest request) {
      engineCalls.incrementAndGet();
      return new GeneratedImage(output.get(), "fixed-1");
    }

    @Override
    public String modelId() {
      return "fixed-1";
    }
  };

  private ImageEditClient.Builder client(Map<String, String> settings) {
    return client(PolicySettings.of(settings));
  }

  private ImageEditClient.Builder client(PolicySettings settings) {
    ImageEditClient.Builder b = ImageEditClient.builder().configure(settings)
        .authenticator((key, address) -> KEY.equals(key)
            ? Decision.allow(new Principal("alice", Set.of(Role.USER), "f2p_test_nsfw"))
            : Decision.reject(ReasonCode.UNAUTHENTICATED))
        .rateLimiter(RateLimiter.unlimited())
        .promptFilter(PromptFilter.acceptAll())
        .resourceGuard(ResourceGuard.unguarded(Duration.ofMinutes(1), Clock.systemUTC()))
        .engine(engine)
        .addListener((SecurityEventListener) events::add);
    if (settings.get("f2p.image-validator.type").isEmpty()) {
      b.imageValidator((bytes, principal) -> Decision.allow(new dev.f2p.core.spi.ValidatedImage(
          TestImages.shared("faces/astronaut-face.jpg"), "JPEG")));
    }
    return b;
  }

  private static EditRequest request(byte[] image) {
    return EditRequest.builder().apiKey(KEY).clientAddress("203.0.113.9").prompt("a portrait in a garden")
        .image(image).size(224, 224).steps(1).seed(7).build();
  }

  private static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final byte[] FACE = png(TestImages.shared("faces/astronaut-face.jpg"));

  @Test
  void fromSettingsAnExplicitOutputIsRefusedAndALooserThresholdLetsItThrough() {
    output.set(TestImages.crafted("crafted-porn.png"));
    try (ImageEditClient client = client(Map.of("f2p.output-policy.type", "nsfw")).build()) {
      EditResult result = client.edit(request(FACE));

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.OUTPUT_REJECTED);
        assertThat(r.rejection().detail()).isEqualTo(NsfwOutputPolicy.NSFW_CONTENT);
        assertThat(r.rejection().message()).isEqualTo(NsfwOutputPolicy.SAFE_MESSAGE);
      });
      assertThat(events).filteredOn(e -> e.stage() == Stage.OUTPUT).singleElement().satisfies(e -> {
        assertThat(e.detail()).contains("NSFW_CONTENT");
        assertThat(e.principalId()).contains("alice");
        assertThat(e.attributes()).containsEntry("nsfw.output.class", "porn").containsEntry("confidence", "HIGH");
      });
    }
    // Porn scores 0.996: a threshold above it releases the picture, chained to the PDQ policy.
    try (ImageEditClient client = client(Map.of("f2p.output-policy.type", "nsfw", "f2p.output-policy.threshold", "0.999",
        "f2p.output-policy.delegate.type", "pdq")).build()) {
      EditResult result = client.edit(request(FACE));

      assertThat(result).isInstanceOf(EditResult.Success.class);
      assertThat(events.get(events.size() - 1).attributes()).containsEntry("nsfw.output.class", "porn")
          .containsKey("pdq.output");
    }
  }

  @Test
  void anExplicitUploadIsRefusedBeforeTheEngineRunsAndBothPoliciesShareOneClassifier() {
    output.set(TestImages.intRgb(TestImages.shared(TestImages.PORTRAIT)));
    Map<String, String> settings = Map.of(
        "f2p.image-validator.type", "nsfw", "f2p.image-validator.delegate.type", "standard",
        "f2p.image-validator.delegate.face-detector.type", "none",
        "f2p.output-policy.type", "nsfw", "f2p.output-policy.sexy-threshold", "off");
    PolicySettings policySettings = PolicySettings.of(settings);
    try (ImageEditClient client = client(policySettings).build()) {
      EditResult refused = client.edit(request(png(TestImages.crafted("crafted-hentai.png"))));
      assertThat(refused).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.IMAGE_REJECTED);
        assertThat(r.rejection().detail()).isEqualTo(NsfwImageValidator.NSFW_CONTENT);
        assertThat(r.rejection().message()).isEqualTo(NsfwImageValidator.SAFE_MESSAGE);
      });
      assertThat(engineCalls).hasValue(0);

      EditResult portrait = client.edit(request(FACE));
      assertThat(portrait).isInstanceOf(EditResult.Success.class);
      assertThat(events.get(events.size() - 1).attributes()).containsEntry("nsfw.input.class", "neutral")
          .containsEntry("nsfw.output.class", "neutral");
      // Registered once under the key both providers compute: one model in memory, not two.
      assertThat(policySettings.findShared(NsfwSettings.classifierKey(java.util.Optional.empty(),
          java.util.Optional.empty(), NsfwClassifier.DEFAULT_PREDICTORS, NsfwClassifier.DEFAULT_MAX_WAIT),
          NsfwClassifier.class)).isPresent();
    }
  }

  @Test
  void repeatedExplicitOutputsSuspendThePrincipal() {
    output.set(TestImages.crafted("crafted-sexy.png"));
    IncidentControl incidents = IncidentControl.builder().addRule(ContainmentRule.EXPLICIT_OUTPUT).build();
    try (ImageEditClient client = client(Map.of("f2p.output-policy.type", "nsfw"))
        .addAuthorizer(incidents).build()) {
      for (int i = 0; i < 3; i++) {
        assertThat(((EditResult.Rejected) client.edit(request(FACE))).rejection().detail()).isEqualTo("NSFW_CONTENT");
      }
      assertThat(incidents.restrictedUntil(IncidentTarget.PRINCIPAL, "alice")).isPresent();

      EditResult next = client.edit(request(FACE));
      assertThat(next).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.FORBIDDEN);
        assertThat(r.rejection().detail()).isEqualTo(IncidentControl.PRINCIPAL_SUSPENDED);
      });
      assertThat(engineCalls).hasValue(3);
    } finally {
      incidents.close();
    }
  }

  @Test
  void badSettingsFailTheBuildNamingTheSetting() {
    Map<String, String> bad = new HashMap<>(Map.of("f2p.output-policy.type", "nsfw", "f2p.output-policy.threshold", "1.5"));
    assertThatThrownBy(() -> client(bad).build()).hasMessageContaining("f2p.output-policy.threshold")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> client(Map.of("f2p.output-policy.type", "nsfw", "f2p.output-policy.model", "x.pt")).build())
        .hasMessageContaining("f2p.output-policy.model and f2p.output-policy.model-sha256 go together");
    assertThatThrownBy(() -> client(Map.of("f2p.output-policy.type", "nsfw", "f2p.output-policy.delegate.type", "nsfw")).build())
        .hasMessageContaining("f2p.output-policy.delegate.type must name another provider than nsfw");
    assertThatThrownBy(() -> client(Map.of("f2p.output-policy.type", "nsfw", "f2p.output-policy.predictors", "0")).build())
        .hasMessageContaining("f2p.output-policy.predictors").hasMessageContaining("0");
    for (String slot : new String[] {"image-validator", "output-policy"}) {
      // The old selector name: YAML cannot give a key a value and children.
      assertThatThrownBy(() -> ImageEditClient.checkSettings(Map.of("f2p." + slot + ".type", "nsfw",
          "f2p." + slot + ".delegate", "standard"))).isInstanceOf(F2pConfigurationException.class)
          .hasMessageContaining("f2p." + slot + ".delegate is now f2p." + slot + ".delegate.type");
    }
    assertThatThrownBy(() -> client(Map.of("f2p.image-validator.type", "nsfw")).build())
        .hasMessageContaining("missing setting f2p.image-validator.delegate.type");
    assertThatThrownBy(() -> client(Map.of("f2p.output-policy.type", "nsfw", "f2p.output-policy.model", "missing.pt",
        "f2p.output-policy.model-sha256", "a".repeat(64))).build()).hasMessageContaining("f2p.output-policy.model");
  }
}
