package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.spi.GeneratedImage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DjlImageEditEngineTest {
  @Test
  void singlePassChangesTheImageDependingOnThePrompt() throws Exception {
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(TestBundles.SINGLE_PASS)
        .integrityCheckEvery(Duration.ZERO).build()) {
      GeneratedImage warm = engine.edit(TestBundles.request("warm golden sunset", 512, 1, 1));
      GeneratedImage cold = engine.edit(TestBundles.request("cold blue winter night", 512, 1, 1));
      assertThat(warm.modelId()).isEqualTo("prompt-tint:1.0.0");
      assertThat(TestBundles.pixels(warm.pixels())).isNotEqualTo(TestBundles.pixels(cold.pixels()));
      assertThat(TestBundles.pixels(warm.pixels())).isNotEqualTo(TestBundles.pixels(TestBundles.face(512, 512)));
    }
  }

  @Test
  void flowMatchingRunsEveryStep() throws Exception {
    try (DjlImageEditEngine engine = DjlImageEditEngine.builder().bundle(TestBundles.FLOW_MATCHING)
        .integrityCheckEvery(Duration.ZERO).build()) {
      GeneratedImage out = engine.edit(TestBundles.request("portrait in a garden", 64, 4, 7));
      assertThat(out.pixels().getWidth()).isEqualTo(64);
    }
  }
}
