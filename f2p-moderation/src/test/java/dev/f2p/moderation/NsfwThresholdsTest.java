package dev.f2p.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NsfwThresholdsTest {
  // Drawing, Hentai, Neutral, Porn, Sexy
  private static NsfwScores scores(float drawing, float hentai, float neutral, float porn, float sexy) {
    return NsfwScores.of(drawing, hentai, neutral, porn, sexy);
  }

  @Test
  void pornOrHentaiAtTheThresholdIsRefusedAndJustBelowIsNot() {
    NsfwThresholds t = new NsfwThresholds(0.5, Optional.of(0.9));

    assertThat(t.refusal(scores(0f, 0f, 0.5f, 0.5f, 0f))).contains(NsfwClass.PORN);
    assertThat(t.refusal(scores(0f, 0.5f, 0.5f, 0f, 0f))).contains(NsfwClass.HENTAI);
    assertThat(t.refusal(scores(0f, 0.49f, 0.02f, 0.49f, 0f))).isEmpty();
  }

  @Test
  void sexyNeedsItsOwnHigherThreshold() {
    NsfwThresholds t = NsfwThresholds.DEFAULTS;

    assertThat(t.refusal(scores(0f, 0f, 0.2f, 0f, 0.8f))).isEmpty();
    assertThat(t.refusal(scores(0f, 0f, 0.1f, 0f, 0.9f))).contains(NsfwClass.SEXY);
    assertThat(new NsfwThresholds(0.5, Optional.empty()).refusal(scores(0f, 0f, 0f, 0f, 1f))).isEmpty();
  }

  @Test
  void theMostProbableRefusedClassIsNamed() {
    NsfwThresholds t = new NsfwThresholds(0.3, Optional.of(0.3));

    assertThat(t.refusal(scores(0f, 0.31f, 0f, 0.35f, 0.34f))).contains(NsfwClass.PORN);
    assertThat(t.refusal(scores(0f, 0.3f, 0f, 0.3f, 0.4f))).contains(NsfwClass.SEXY);
  }

  @Test
  void neutralAndDrawingAreNeverRefused() {
    assertThat(new NsfwThresholds(0.01, Optional.of(0.01)).refusal(scores(0.5f, 0f, 0.5f, 0f, 0f))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -0.1, 1.01, Double.NaN})
  void aThresholdOutsideZeroToOneIsRefusedWithTheValue(double bad) {
    assertThatThrownBy(() -> new NsfwThresholds(bad, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("explicit threshold must be in (0, 1]: " + bad);
    assertThatThrownBy(() -> new NsfwThresholds(0.5, Optional.of(bad)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sexy threshold must be in (0, 1]: " + bad);
  }

  @Test
  void scoresRefuseWhatNoSoftmaxProduces() {
    assertThatThrownBy(() -> NsfwScores.of(0.5f, 0.5f)).hasMessage("expected 5 probabilities, got 2");
    assertThatThrownBy(() -> NsfwScores.of(Float.NaN, 0f, 0f, 0f, 0f)).hasMessage("probability out of [0, 1]: NaN");
    assertThatThrownBy(() -> NsfwScores.of(1.5f, 0f, 0f, 0f, 0f)).hasMessage("probability out of [0, 1]: 1.5");
  }
}
