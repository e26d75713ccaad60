package dev.f2p.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.OutputContext;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.ValidatedImage;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NsfwOutputPolicyTest {
  private static final OutputContext CONTEXT = new OutputContext("req-1",
      new Principal("alice", Set.of(Role.USER), "f2p_test"),
      new ValidatedImage(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "PNG"));

  /** Encodes as plain PNG, counting calls and adding an attribute of its own. */
  private static final class CountingDelegate implements OutputPolicy {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Decision<OutputImage> apply(GeneratedImage image, OutputContext context) {
      calls.incrementAndGet();
      Decision<OutputImage> png = OutputPolicy.plainPng().apply(image, context);
      return Decision.allow(((Decision.Allowed<OutputImage>) png).value(), Map.of("label", "yes"));
    }
  }

  private final CountingDelegate delegate = new CountingDelegate();

  private Decision<OutputImage> apply(NsfwThresholds thresholds, BufferedImage output) {
    return NsfwOutputPolicy.of(SharedClassifier.get(), thresholds, delegate)
        .apply(new GeneratedImage(output, "test-model"), CONTEXT);
  }

  @ParameterizedTest
  @CsvSource({"crafted-porn.png, porn", "crafted-hentai.png, hentai", "crafted-sexy.png, sexy"})
  void anExplicitOutputIsRefusedAndNeverReachesTheLabellingPolicy(String picture, String refusedClass) {
    Decision<OutputImage> d = apply(NsfwThresholds.DEFAULTS, TestImages.crafted(picture));

    assertThat(d).isInstanceOfSatisfying(Decision.Rejected.class, r -> {
      Rejection rejection = r.rejection();
      assertThat(rejection.reason()).isEqualTo(ReasonCode.OUTPUT_REJECTED);
      assertThat(rejection.detail()).isEqualTo("NSFW_CONTENT");
      assertThat(rejection.message()).isEqualTo("The result was withheld by the content policy.");
      assertThat(rejection.httpStatus()).isEqualTo(500);
    });
    assertThat(d.attributes()).containsEntry("nsfw.output.class", refusedClass).containsEntry("confidence", "HIGH")
        .containsKey("nsfw.output.probability");
    assertThat(Double.parseDouble(d.attributes().get("nsfw.output.probability"))).isGreaterThan(0.95);
    assertThat(delegate.calls).hasValue(0);
  }

  @Test
  void thePortraitTheEngineMakesIsReleasedThroughTheDelegate() {
    Decision<OutputImage> d = apply(NsfwThresholds.DEFAULTS, TestImages.intRgb(TestImages.shared(TestImages.PORTRAIT)));

    assertThat(d).isInstanceOfSatisfying(Decision.Allowed.class,
        a -> assertThat(((OutputImage) a.value()).mediaType()).isEqualTo("image/png"));
    assertThat(d.attributes()).containsEntry("nsfw.output.class", "neutral").containsEntry("label", "yes")
        .doesNotContainKey("confidence");
    assertThat(delegate.calls).hasValue(1);
  }

  @Test
  void withTheSexyCheckOffASuggestiveOutputIsReleased() {
    Decision<OutputImage> d = apply(new NsfwThresholds(0.5, Optional.empty()), TestImages.crafted("crafted-sexy.png"));

    assertThat(d.isAllowed()).isTrue();
    assertThat(d.attributes()).containsEntry("nsfw.output.class", "sexy");
  }

  @Test
  void aClassifierThatFailsRefusesTheOutput() throws Exception {
    NsfwClassifier closed = NsfwClassifier.builder().predictors(1).build();
    closed.close();

    Decision<OutputImage> d = NsfwOutputPolicy.of(closed, NsfwThresholds.DEFAULTS, delegate)
        .apply(new GeneratedImage(TestImages.shared("non-faces/coffee.png"), "test-model"), CONTEXT);

    assertThat(d).isInstanceOfSatisfying(Decision.Rejected.class, r -> {
      assertThat(r.rejection().reason()).isEqualTo(ReasonCode.OUTPUT_REJECTED);
      assertThat(r.rejection().detail()).isEqualTo("CLASSIFIER_FAILED");
      assertThat(r.rejection().message()).isEqualTo(ReasonCode.OUTPUT_REJECTED.safeMessage());
    });
    assertThat(delegate.calls).hasValue(0);
  }

  @Test
  void theDelegatesRefusalKeepsTheScores() {
    OutputPolicy refusing = (image, context) ->
        Decision.reject(Rejection.of(ReasonCode.OUTPUT_REJECTED, "WATERMARK_FAILED", "Could not label."));
    Decision<OutputImage> d = NsfwOutputPolicy.of(SharedClassifier.get(), NsfwThresholds.DEFAULTS, refusing)
        .apply(new GeneratedImage(TestImages.shared("non-faces/coffee.png"), "test-model"), CONTEXT);

    assertThat(d).isInstanceOfSatisfying(Decision.Rejected.class,
        r -> assertThat(r.rejection().detail()).isEqualTo("WATERMARK_FAILED"));
    assertThat(d.attributes()).containsEntry("nsfw.output.class", "neutral");
  }

  @Test
  void aDelegateReturningNullRefuses() {
    Decision<OutputImage> d = NsfwOutputPolicy.of(SharedClassifier.get(), NsfwThresholds.DEFAULTS, (i, c) -> null)
        .apply(new GeneratedImage(TestImages.shared("non-faces/coffee.png"), "test-model"), CONTEXT);

    assertThat(d).isInstanceOfSatisfying(Decision.Rejected.class,
        r -> assertThat(r.rejection().detail()).isEqualTo("INTERNAL_ERROR"));
  }
}
