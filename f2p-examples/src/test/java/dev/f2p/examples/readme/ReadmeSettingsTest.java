package dev.f2p.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.internal.SettingNames;
import dev.f2p.core.spi.PolicyProvider;
import dev.f2p.core.spi.PolicySettings;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's settings and the providers' declarations cannot drift apart. */
class ReadmeSettingsTest {
  /** Each SPI's provider interface and the scope its settings live in: the settings check's own table. */
  private static final Map<Class<? extends PolicyProvider<?>>, String> SCOPES = SettingNames.PROVIDER_SCOPES;
  @Test
  void everySettingTheReadmeShowsPassesTheNameCheck() {
    List<String> blocks = Readme.blocks("properties");
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(10);
    for (String block : blocks) {
      Map<String, String> settings = Readme.settings(block);
      assertThatCode(() -> ImageEditClient.checkSettings(settings))
          .as("README block starting %s", block.lines().findFirst().orElse("")).doesNotThrowAnyException();
    }
  }

  @Test
  void everySettingAProviderReadsIsInTheReadme() {
    Set<String> documented = new HashSet<>();
    Readme.blocks("properties").forEach(b -> documented.addAll(Readme.settings(b).keySet()));
    assertThat(documented).contains("f2p.rate-limiter.limits.default");
    SCOPES.forEach((type, scope) -> {
      for (PolicyProvider<?> provider : ServiceLoader.load(type)) {
        if (isTestFixture(provider)) {
          continue;
        }
        String prefix = scope.formatted(provider.name());
        for (String name : provider.settingNames(PolicySettings.of(Map.of()))) {
          String pattern = SettingNames.absolute(prefix, name);
          assertThat(documented).as("%s '%s' reads %s, which no properties block of the README shows",
              type.getSimpleName(), provider.name(), pattern).anyMatch(d -> SettingNames.matches(pattern, d));
        }
      }
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "f2p.engine.trusted-key | f2p.engine.trusted-keys",
      "f2p.rate-limiter.limit.USER | f2p.rate-limiter.limits.USER",
      "f2p.image-validator.face-detecter.type | f2p.image-validator.face-detector.type",
      "f2p.authenticator.pepper_env | f2p.authenticator.pepper-env",
      "f2p.resource-guard.cost-ceilings.USER | f2p.resource-guard.cost-ceiling.USER"})
  void aNewcomersTyposFailNamingTheValidSetting(String typo, String meant) {
    Map<String, String> settings = new HashMap<>(Map.of("f2p.authenticator.type", "api-key", "f2p.rate-limiter.type",
        "token-bucket", "f2p.image-validator.type", "standard", "f2p.engine.type", "djl", "f2p.resource-guard.type", "standard"));
    settings.put(typo, "x");
    assertThatThrownBy(() -> ImageEditClient.checkSettings(settings))
        .isInstanceOfSatisfying(F2pConfigurationException.class, e -> assertThat(e.setting()).contains(typo))
        .hasMessage("unknown setting " + typo + "; did you mean " + meant + "?");
  }

  private static boolean isTestFixture(Object provider) {
    return provider.getClass().getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes");
  }
}
