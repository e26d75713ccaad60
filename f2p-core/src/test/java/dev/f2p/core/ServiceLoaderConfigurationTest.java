package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.TestProviders;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceLoaderConfigurationTest {
  /** Settings naming every test provider: a working client. */
  static Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    s.put("f2p.authenticator.type", "one-key");
    s.put("f2p.rate-limiter.type", "unlimited");
    s.put("f2p.prompt-filter.type", "word");
    s.put("f2p.prompt-filter.blocked", "dragon");
    s.put("f2p.image-validator.type", "imageio");
    s.put("f2p.resource-guard.type", "unguarded");
    s.put("f2p.resource-guard.timeout", "10s");
    s.put("f2p.engine.type", "inverter");
    s.put("f2p.listeners", "recording");
    return s;
  }

  @Test
  void serviceLoaderDiscoveryBuildsAWorkingClientFromSettings() {
    try (ImageEditClient client = ImageEditClient.builder().configure(settings()).build()) {
      assertThat(client.edit(Fixtures.request().build()).isSuccess()).isTrue();
      EditResult refused = client.edit(Fixtures.request().prompt("a dragon").build());
      assertThat(refused).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.rejection().detail()).isEqualTo("CUSTOM"));
      assertThat(client.modelId()).isEqualTo("inverter-1");
    }
    assertThat(TestProviders.Recording.LAST.events).isNotEmpty();
  }

  @Test
  void anUnknownProviderNameFailsNamingWhatIsAvailable() {
    Map<String, String> s = settings();
    s.put("f2p.rate-limiter.type", "token-bucket");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("no RateLimiterProvider named 'token-bucket'").hasMessageContaining("unlimited");
  }

  @Test
  void aMissingProviderSettingFailsNamingTheFullSetting() {
    Map<String, String> s = settings();
    s.remove("f2p.prompt-filter.blocked");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOf(F2pConfigurationException.class).hasMessageContaining("f2p.prompt-filter.blocked");
  }

  @Test
  void aBadDurationFailsNamingTheSetting() {
    Map<String, String> s = settings();
    s.put("f2p.resource-guard.timeout", "soon");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOf(F2pConfigurationException.class).hasMessageContaining("f2p.resource-guard.timeout").hasMessageContaining("soon");
  }

  @Test
  void theHostSharesObjectsWithProvidersAndFindsThemAfterwards() {
    dev.f2p.core.spi.PolicySettings s = dev.f2p.core.spi.PolicySettings.of(settings());
    StringBuilder registry = s.shared("registry", StringBuilder.class, StringBuilder::new);
    try (ImageEditClient client = ImageEditClient.builder().configure(s).build()) {
      assertThat(s.findShared("registry", StringBuilder.class)).containsSame(registry);
      assertThat(s.scope("f2p").scope("engine").findShared("registry", StringBuilder.class)).containsSame(registry);
      assertThat(s.findShared("registry", String.class)).isEmpty();
      assertThat(s.findShared("absent", StringBuilder.class)).isEmpty();
    }
  }
}
