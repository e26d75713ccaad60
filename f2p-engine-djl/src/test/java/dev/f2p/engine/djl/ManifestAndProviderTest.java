package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestAndProviderTest {
  @TempDir Path tmp;

  /** Malformed manifests, each refused as MANIFEST_INVALID with the reason in the message. */
  static Stream<Arguments> badManifests() {
    return Stream.of(
        Arguments.of("\"format\": \"f2p-bundle/1\"", "\"format\": \"other/9\"", "format"),
        Arguments.of("\"kind\": \"single-pass\"", "\"kind\": \"diffusion\"", "kind"),
        Arguments.of("\"width\": 512", "\"width\": 100000", "width"),
        Arguments.of("\"normalization\": \"zero-one\"", "\"normalization\": \"sigmoid\"", "normalization"),
        Arguments.of("\"encoding\": \"utf8-bytes\"", "\"encoding\": \"tokenizer\"", "tokenizer"),
        Arguments.of("\"components\": {\n    \"model\"", "\"components\": {\n    \"other\"", "model"),
        Arguments.of("\"name\": \"prompt-tint\"", "\"name\": \"../evil\"", "name"),
        Arguments.of("\"max_tokens\": 77", "\"max_tokens\": -1", "max_tokens"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badManifests")
  void refusesAMalformedManifest(String from, String to, String mentioned) throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    java.nio.file.Files.delete(bundle.resolve("model.sig"));
    BundleVerifierTest.replaceInManifest(bundle, from, to);
    assertThatThrownBy(() -> BundleVerifier.builder().build().verify(bundle))
        .isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.MANIFEST_INVALID))
        .hasMessageContaining(mentioned);
  }

  @Test
  void theDjlProviderBuildsFromSettings() throws Exception {
    PolicySettings settings = PolicySettings.of(Map.of(
        "bundle", TestBundles.SINGLE_PASS.toString(),
        "trusted-keys", TestBundles.PUBLIC_KEY.toString(),
        "device", "cpu",
        "predictors-per-device", "1",
        "integrity-interval", "0s"));
    try (ImageEditEngine engine = PolicyProviders.create(ImageEditEngineProvider.class, "djl", settings)) {
      assertThat(engine.modelId()).isEqualTo("prompt-tint:1.0.0");
      assertThat(engine.isAvailable()).isTrue();
    }
  }

  @Test
  void theDjlProviderRefusesContradictorySettings() {
    PolicySettings both = PolicySettings.of(Map.of("bundle", "x", "key-env", "A", "key-file", "/k"));
    assertThatThrownBy(() -> new DjlEngineProvider().create(both)).hasMessageContaining("key-env");
    PolicySettings none = PolicySettings.of(Map.of());
    assertThatThrownBy(() -> new DjlEngineProvider().create(none)).hasMessageContaining("bundle");
    PolicySettings badDevice = PolicySettings.of(Map.of("bundle", "x", "device", "tpu0"));
    assertThatThrownBy(() -> new DjlEngineProvider().create(badDevice)).hasMessageContaining("tpu0");
  }
}
