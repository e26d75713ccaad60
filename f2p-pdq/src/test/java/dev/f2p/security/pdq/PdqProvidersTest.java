package dev.f2p.security.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditResult;
import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.OutputPolicyProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.pdq.PdqFixtures.CountingGuard;
import dev.f2p.security.pdq.PdqFixtures.FixedEngine;
import dev.f2p.security.pdq.PdqFixtures.RecordingListener;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PdqProvidersTest {
  private static final BufferedImage LISTED = PdqTestImages.read("reg-test-input/labelme-subset/q0746.jpg");

  @TempDir Path dir;

  private Path listFile() throws Exception {
    Path file = dir.resolve("opted-out.tsv");
    Files.writeString(file, "# opted out\n" + PdqHasher.create().hash(LISTED).hash().toHex() + "\tperson-7\n");
    return file;
  }

  @Test
  void aClientConfiguredByNameRefusesAListedPictureAndFingerprintsOutputs() throws Exception {
    Path file = listFile();
    Map<String, String> settings = new HashMap<>();
    settings.put("f2p.image-validator.type", "pdq");
    settings.put("f2p.image-validator.delegate.type", "pdq-test-imageio");
    settings.put("f2p.image-validator.list", file.toString());
    settings.put("f2p.image-validator.max-distance", "20");
    settings.put("f2p.image-validator.reload", "1m");
    settings.put("f2p.output-policy.type", "pdq");
    settings.put("f2p.output-policy.list", file.toString());
    settings.put("f2p.output-policy.max-distance", "20");
    settings.put("f2p.output-policy.reload", "1m");
    FixedEngine engine = new FixedEngine();
    CountingGuard guard = new CountingGuard();
    RecordingListener events = new RecordingListener();

    try (ImageEditClient client = PdqFixtures.client(engine, guard, events).configure(settings).build()) {
      EditResult listed = client.edit(PdqFixtures.request(PdqFixtures.png(LISTED)).build());
      BufferedImage other = PdqTestImages.read("reg-test-input/labelme-subset/q1050.jpg");
      EditResult fine = client.edit(PdqFixtures.request(PdqFixtures.png(other)).build());

      assertThat(listed).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.rejection().detail()).isEqualTo("HASH_LISTED"));
      assertThat(fine).isInstanceOf(EditResult.Success.class);
      assertThat(guard.asked).hasValue(1);
      SecurityEvent last = events.events.get(events.events.size() - 1);
      assertThat(last.stage()).isEqualTo(Stage.COMPLETE);
      assertThat(last.attributes()).containsEntry("pdq.output", PdqHasher.create().hash(other).hash().toHex())
          .containsKey("pdq.input");
    }
  }

  @Test
  void theInputAndOutputPoliciesOfOneClientShareTheLoadedList() throws Exception {
    Path file = listFile();
    PolicySettings all = PolicySettings.of(Map.of(
        "image-validator.delegate.type", "pdq-test-imageio", "image-validator.list", file.toString(),
        "output-policy.list", file.toString()));

    ImageValidator validator =
        PolicyProviders.create(ImageValidatorProvider.class, "pdq", all.scope("image-validator"));
    OutputPolicy output = PolicyProviders.create(OutputPolicyProvider.class, "pdq", all.scope("output-policy"));

    assertThat(validator).isInstanceOf(PdqHashListValidator.class);
    assertThat(output).isInstanceOf(PdqHashListOutputPolicy.class);
    assertThat(all.shared("dev.f2p.security.pdq.list|" + file.toAbsolutePath().normalize() + "|2000000|",
        ReloadingPdqHashList.class, () -> null).get().size()).isEqualTo(1);
    ((AutoCloseable) validator).close();
    ((AutoCloseable) output).close();
  }

  @Test
  void withoutAListTheValidatorOnlyFingerprints() throws Exception {
    PolicySettings settings = PolicySettings.of(Map.of("delegate.type", "pdq-test-imageio"));

    ImageValidator validator = PolicyProviders.create(ImageValidatorProvider.class, "pdq", settings);

    assertThat(validator.validate(PdqFixtures.png(LISTED),
        new dev.f2p.core.Principal("alice", java.util.Set.of(dev.f2p.core.Role.USER), "k")).attributes())
        .containsEntry("pdq.input", PdqHasher.create().hash(LISTED).hash().toHex());
  }

  @ParameterizedTest
  @ValueSource(strings = {"image-validator", "output-policy"})
  void theDelegatesOldSelectorFailsNamingItsTypeKey(String slot) {
    Map<String, String> old = Map.of("f2p." + slot + ".type", "pdq", "f2p." + slot + ".delegate", "pdq-test-imageio");
    assertThatThrownBy(() -> ImageEditClient.checkSettings(old)).isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("f2p." + slot + ".delegate is now f2p." + slot + ".delegate.type");
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of(Map.of(), "missing setting image-validator.delegate.type"),
        Arguments.of(Map.of("delegate.type", "pdq"), "image-validator.delegate.type must name another provider"),
        Arguments.of(Map.of("delegate.type", "no-such-validator"), "no ImageValidatorProvider named 'no-such-validator'"),
        Arguments.of(Map.of("delegate.type", "pdq-test-imageio", "delegate.fail", "yes"),
            "image-validator.delegate.fail asked to fail"),
        Arguments.of(Map.of("delegate.type", "pdq-test-imageio", "reload", "1m"),
            "image-validator.reload has no effect without image-validator.list"),
        Arguments.of(Map.of("delegate.type", "pdq-test-imageio", "list", "LIST", "max-distance", "64"),
            "image-validator.max-distance must be 0..63: 64"),
        Arguments.of(Map.of("delegate.type", "pdq-test-imageio", "list", "LIST", "max-distance", "far"),
            "image-validator.max-distance must be a number"),
        Arguments.of(Map.of("delegate.type", "pdq-test-imageio", "list", "LIST", "reload", "10ms"),
            "image-validator.reload must be at least 1s"),
        Arguments.of(Map.of("delegate.type", "pdq-test-imageio", "list", "LIST", "max-entries", "0"),
            "image-validator.max-entries must be positive"),
        Arguments.of(Map.of("delegate.type", "pdq-test-imageio", "list", "BROKEN"),
            "image-validator.list: broken.tsv line 2: expected 64 hex digits"),
        Arguments.of(Map.of("delegate.type", "pdq-test-imageio", "list", "MISSING"),
            "image-validator.list: absent.tsv: cannot read"));
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void badSettingsFailTheBuildNamingTheSetting(Map<String, String> given, String message) throws Exception {
    Path list = listFile();
    Path broken = dir.resolve("broken.tsv");
    Files.writeString(broken, "# x\nnot-a-hash\tlabel\n");
    Map<String, String> settings = new HashMap<>();
    given.forEach((k, v) -> settings.put("image-validator." + k, switch (v) {
      case "LIST" -> list.toString();
      case "BROKEN" -> broken.toString();
      case "MISSING" -> dir.resolve("absent.tsv").toString();
      default -> v;
    }));

    assertThatThrownBy(() -> PolicyProviders.create(ImageValidatorProvider.class, "pdq",
        PolicySettings.of(settings).scope("image-validator")))
        .hasMessageContaining(message);
  }
}
