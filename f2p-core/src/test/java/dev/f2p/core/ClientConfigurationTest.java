package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.LifecycleProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Settings that cannot fail open: checked names, one exception type, nothing left behind by a failure. */
class ClientConfigurationTest {
  private static Map<String, String> settings() {
    return ServiceLoaderConfigurationTest.settings();
  }

  @BeforeEach
  void resetCounters() {
    LifecycleProviders.CREATED.set(0);
    LifecycleProviders.CLOSED.set(0);
  }

  @Test
  void aMisspeltSettingFailsTheBuildNamingTheNearestValidName() {
    Map<String, String> s = settings();
    s.put("f2p.prompt-filter.block", "unicorn");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOfSatisfying(F2pConfigurationException.class,
            e -> assertThat(e.setting()).contains("f2p.prompt-filter.block"))
        .hasMessage("unknown setting f2p.prompt-filter.block; did you mean f2p.prompt-filter.blocked?");
  }

  /** YAML cannot give {@code f2p.engine} a value and children, so a selection is {@code f2p.engine.type}. */
  @ParameterizedTest
  @ValueSource(strings = {"authenticator", "rate-limiter", "prompt-filter", "image-validator", "resource-guard",
      "engine", "output-policy"})
  void aSelectorsOldNameFailsNamingItsTypeKey(String slot) {
    Map<String, String> s = settings();
    String old = "f2p." + slot;
    String value = s.remove(old + ".type");
    s.put(old, value == null ? "plain" : value);
    String expected = "setting " + old + " is now " + old + ".type";
    assertThatThrownBy(() -> ImageEditClient.checkSettings(s))
        .isInstanceOfSatisfying(F2pConfigurationException.class, e -> assertThat(e.setting()).contains(old))
        .hasMessageContaining(expected);
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOf(F2pConfigurationException.class).hasMessageContaining(expected);
    assertThat(LifecycleProviders.CREATED).hasValue(0);
  }

  @Test
  void aMisspeltSelectorIsRefusedToo() {
    Map<String, String> s = settings();
    s.put("f2p.listener", "recording");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessage("unknown setting f2p.listener; did you mean f2p.listeners?");
  }

  @Test
  void settingsForAProviderNobodySelectedAreRefused() {
    Map<String, String> s = settings();
    s.put("f2p.output-policy.producer", "Acme");
    s.put("f2p.listener.slf4j.prompt-fingerprints", "false");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("unknown setting f2p.output-policy.producer (f2p.output-policy.type names no provider)")
        .hasMessageContaining("unknown setting f2p.listener.slf4j.prompt-fingerprints (f2p.listeners does not list slf4j)");
  }

  @Test
  void namesOutsideF2pAreLeftToTheHost() {
    Map<String, String> s = settings();
    s.put("server.port", "8080");
    try (ImageEditClient client = ImageEditClient.builder().configure(s).build()) {
      assertThat(client.edit(Fixtures.request().build()).isSuccess()).isTrue();
    }
  }

  @Test
  void aProviderReadingASettingItDoesNotDeclareFailsLoudly() {
    Map<String, String> s = settings();
    s.put("f2p.prompt-filter.type", "undeclared");
    s.remove("f2p.prompt-filter.blocked");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("provider 'undeclared' reads setting f2p.prompt-filter.forgotten but does not declare "
            + "it: add \"forgotten\" to its settingNames()");
  }

  @Test
  void aSettingsFileIsCheckedLikeAMap(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f2p.properties");
    StringBuilder text = new StringBuilder("# host settings\n");
    settings().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text);
    try (ImageEditClient client = ImageEditClient.builder().configure(file).build()) {
      assertThat(client.edit(Fixtures.request().prompt("a dragon").build()).isSuccess()).isFalse();
    }
    Files.writeString(file, text + "f2p.resource-guard.timout=5s\n");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(file).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessage("unknown setting f2p.resource-guard.timout; did you mean f2p.resource-guard.timeout?");
  }

  @Test
  void anUnreadableSettingsFileIsAConfigurationError(@TempDir Path dir) {
    assertThatThrownBy(() -> ImageEditClient.builder().configure(dir.resolve("absent.properties")))
        .isInstanceOf(F2pConfigurationException.class).hasMessageContaining("absent.properties")
        .satisfies(e -> assertThat(((F2pConfigurationException) e).setting()).isEmpty());
  }

  @Test
  void providerFailuresComeAsTheConfigurationExceptionNamingTheSetting() {
    Map<String, String> s = settings();
    s.put("f2p.engine.type", "failing");
    s.put("f2p.engine.reason", "corrupt");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOfSatisfying(F2pConfigurationException.class, e -> {
          assertThat(e.setting()).contains("f2p.engine");
          assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
        })
        .hasMessageContaining("ImageEditEngineProvider 'failing' (f2p.engine) failed: cannot load: corrupt");
  }

  @Test
  void aFailedBuildClosesEverythingItMadeAndLeavesNoThread() {
    Map<String, String> s = settings();
    s.put("f2p.listeners", "threaded");
    s.put("f2p.prompt-filter.type", "counted");
    s.remove("f2p.prompt-filter.blocked");
    s.put("f2p.engine.type", "failing");
    long threadsBefore = liveTestThreads();
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
          .isInstanceOf(F2pConfigurationException.class);
    }
    assertThat(LifecycleProviders.CREATED).hasValue(6);
    assertThat(LifecycleProviders.CLOSED).hasValue(6);
    assertThat(liveTestThreads()).isEqualTo(threadsBefore);
  }

  @Test
  void aMissingPolicyFailsBeforeAnyProviderRuns() {
    Map<String, String> s = settings();
    s.put("f2p.listeners", "threaded");
    s.put("f2p.prompt-filter.type", "counted");
    s.remove("f2p.prompt-filter.blocked");
    s.remove("f2p.image-validator.type");
    assertThatThrownBy(() -> ImageEditClient.builder().configure(s).build())
        .isInstanceOfSatisfying(F2pConfigurationException.class,
            e -> assertThat(e.setting()).contains("f2p.image-validator.type"))
        .hasMessageContaining("imageValidator (or f2p.image-validator.type)");
    assertThat(LifecycleProviders.CREATED).hasValue(0);
  }

  @Test
  void anExplicitSetterReplacesTheConfiguredPolicyInEitherOrder() {
    Map<String, String> s = settings();
    s.put("f2p.prompt-filter.type", "counted");
    s.remove("f2p.prompt-filter.blocked");
    dev.f2p.core.spi.PromptFilter refuseAll = (prompt, p) -> dev.f2p.core.spi.Decision.reject(
        Rejection.of(ReasonCode.PROMPT_REJECTED, "HOST", "The prompt is not allowed."));
    for (ImageEditClient.Builder b : new ImageEditClient.Builder[] {
        ImageEditClient.builder().configure(s).promptFilter(refuseAll),
        ImageEditClient.builder().promptFilter(refuseAll).configure(s)}) {
      try (ImageEditClient client = b.build()) {
        assertThat(client.edit(Fixtures.request().build())).isInstanceOfSatisfying(EditResult.Rejected.class,
            r -> assertThat(r.rejection().detail()).isEqualTo("HOST"));
      }
    }
    // The configured filter is never built, so there is nothing of it to close.
    assertThat(LifecycleProviders.CREATED).hasValue(0);
  }

  @Test
  void aFailedBuildLeavesTheBuilderUsable() {
    ImageEditClient.Builder b = ImageEditClient.builder().authenticator(Fixtures.oneKey());
    assertThatThrownBy(b::build).isInstanceOf(F2pConfigurationException.class);
    try (ImageEditClient client = b.rateLimiter(dev.f2p.core.spi.RateLimiter.unlimited())
        .promptFilter(dev.f2p.core.spi.PromptFilter.acceptAll()).imageValidator(Fixtures.imageIo())
        .resourceGuard(new Fixtures.CountingGuard()).engine(new Fixtures.InvertingEngine()).build()) {
      assertThat(client.edit(Fixtures.request().build()).isSuccess()).isTrue();
    }
  }

  private static long liveTestThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("f2p-test-threaded")).count();
  }
}
