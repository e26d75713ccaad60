package dev.f2p.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import dev.f2p.examples.readme.Readme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrandTermsFilterTest {
  private static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "k1");
  private final PromptFilter filter = new BrandTermsFilter(List.of("Acme", "Globex"));

  @ParameterizedTest
  @ValueSource(strings = {"a photo in an acme uniform", "ACME!", "wearing an Acmé cap", "globex, acme",
      "a portrait (Globex)", "ａｃｍｅ logo"})
  void refusesPromptsNamingABrandWithoutEchoingIt(String prompt) {
    Decision<String> d = filter.check(prompt, ALICE);
    assertThat(d).isInstanceOfSatisfying(Decision.Rejected.class, r -> {
      assertThat(r.rejection().detail()).isEqualTo(BrandTermsFilter.DETAIL);
      assertThat(r.rejection().message().toLowerCase()).doesNotContain("acme", "globex");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"a portrait in a garden", "acmeology studies", "an acne-free face"})
  void letsOtherPromptsThroughUnchanged(String prompt) {
    assertThat(filter.check(prompt, ALICE)).isEqualTo(Decision.allow(prompt));
  }

  @Test
  void isFoundByNameAndReadsTermsAndATermsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("brands.txt");
    Files.writeString(file, "# our brands\ninitech\n\n");
    PromptFilter built = PolicyProviders.create(PromptFilterProvider.class, "brand-terms",
        PolicySettings.of(Map.of("terms", "acme", "terms-file", file.toString())));
    assertThat(built.check("an initech badge", ALICE).isAllowed()).isFalse();
    assertThat(built.check("an acme badge", ALICE).isAllowed()).isFalse();
    assertThat(built.check("a badge", ALICE).isAllowed()).isTrue();
  }

  @Test
  void theReadmeTutorialShowsThisCodeInFull() throws Exception {
    for (String source : List.of("BrandTermsFilter.java", "BrandTermsFilterProvider.java")) {
      String code = Files.readString(Path.of("src/main/java/dev/f2p/examples/plugin", source)).strip();
      assertThat(Readme.blocks("java")).as("README shows %s as it is", source).contains(code);
    }
  }

  @Test
  void refusesToBuildWithoutTerms() {
    assertThatThrownBy(() -> PolicyProviders.create(PromptFilterProvider.class, "brand-terms",
        PolicySettings.of(Map.of()).scope("f2p.prompt-filter")))
        .hasMessageContaining("f2p.prompt-filter.terms");
  }
}
