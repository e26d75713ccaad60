package dev.f2p.security.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.security.image.StandardImageValidator;
import dev.f2p.security.prompt.StandardPromptFilter;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer fuzz targets for the validator and the filter. Under {@code ./mvnw verify} they run in regression
 * mode (the seed corpus in {@code src/test/resources/.../InputFuzzTestInputs/}, no agent); with
 * {@code JAZZER_FUZZ=1} they fuzz. {@link MutationPropertyTest} adds a fixed-seed random and mutation run
 * to every build.
 */
class InputFuzzTest {
  static final Principal ALICE = new Principal("alice", java.util.Set.of(Role.USER), "key-1");
  static final ImageValidator VALIDATOR = StandardImageValidator.builder().minSide(1).withoutFaceCheck().build();
  static final PromptFilter FILTER = StandardPromptFilter.create();

  @FuzzTest(maxDuration = "30s")
  void validatorNeverThrows(byte[] image) {
    checkImage(VALIDATOR.validate(image, ALICE));
  }

  @FuzzTest(maxDuration = "30s")
  void filterNeverThrows(byte[] prompt) {
    checkPrompt(FILTER.check(new String(prompt, StandardCharsets.UTF_8), ALICE),
        StandardPromptFilter.DEFAULT_MAX_CHARS);
  }

  /** What every validator answer must satisfy. */
  static void checkImage(Decision<ValidatedImage> d) {
    assertThat(d).isNotNull();
    if (d instanceof Decision.Allowed<ValidatedImage> a) {
      BufferedImage px = a.value().pixels();
      assertThat(px.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      assertThat((long) px.getWidth() * px.getHeight()).isLessThanOrEqualTo(StandardImageValidator.DEFAULT_MAX_PIXELS);
    }
  }

  /** What every filter answer must satisfy. */
  static void checkPrompt(Decision<String> d, int maxChars) {
    assertThat(d).isNotNull();
    if (d instanceof Decision.Allowed<String> a) {
      String s = a.value();
      assertThat(s.length()).isLessThanOrEqualTo(maxChars);
      s.codePoints().forEach(cp -> {
        int type = Character.getType(cp);
        assertThat(type).isNotIn((int) Character.CONTROL, (int) Character.FORMAT, (int) Character.SURROGATE);
        assertThat("<>{}".indexOf(cp)).isNegative();
      });
    }
  }
}
