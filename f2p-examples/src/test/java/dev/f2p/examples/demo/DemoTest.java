package dev.f2p.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.examples.remote.TestModelServer;
import dev.f2p.provenance.ProvenanceReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  @TempDir Path out;

  @Test
  void theDemoEditsTheDrawnFaceAndRefusesEveryAttackWithItsReason() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    Options options = Options.parse(new String[] {"--out", out.toString()});

    int code = new Demo(options, new PrintStream(text, true, StandardCharsets.UTF_8)).run();

    String printed = text.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    assertThat(printed)
        .contains("UNAUTHENTICATED/INVALID_KEY", "PROMPT_REJECTED/NON_CONSENSUAL", "IMAGE_REJECTED/TOO_LARGE",
            "IMAGE_REJECTED/NO_FACE", "RATE_LIMITED/KEY_QUOTA", "HASH_MISMATCH", "ENGINE_UNAVAILABLE")
        .contains("matches this output's ProduceID");
    byte[] result = Files.readAllBytes(out.resolve("result.png"));
    assertThat(ProvenanceReader.labelsOnly().read(result).label()).isPresent();
    assertThat(ImageIO.read(out.resolve("before-after.png").toFile()).getWidth()).isGreaterThan(700);
  }

  /**
   * {@code --remote}: the same demo against the project's Python test model server (the one the remote
   * engine's tests run, started the same way), speaking the OpenAI images API.
   */
  @Test
  void withRemoteTheDemoEditsOnTheModelServerBehindTheSameGuard() throws Exception {
    try (TestModelServer server = TestModelServer.start("qwen-image-edit-f2p")) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      Options options = Options.parse(new String[] {"--out", out.toString(), "--remote", server.url() + "*2",
          "--protocol", "openai", "--model", "qwen-image-edit-f2p"});

      int code = new Demo(options, new PrintStream(text, true, StandardCharsets.UTF_8)).run();

      String printed = text.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isZero();
      assertThat(printed).contains("Connected to " + server.url() + "*2 (openai, model qwen-image-edit-f2p pinned)")
          .contains("2 slot(s), up: true")
          .contains("UNAUTHENTICATED/INVALID_KEY", "PROMPT_REJECTED/NON_CONSENSUAL", "IMAGE_REJECTED/TOO_LARGE",
              "IMAGE_REJECTED/NO_FACE", "RATE_LIMITED/KEY_QUOTA")
          .contains(server.name() + " ", "up=true", "capacity=2", "ejections=0")
          .contains("matches this output's ProduceID")
          .doesNotContain("HASH_MISMATCH");
      byte[] result = Files.readAllBytes(out.resolve("result.png"));
      assertThat(ProvenanceReader.labelsOnly().read(result).label()).isPresent();
    }
  }

  @Test
  void theDrawnFaceIsOneFaceToTheDetectorAndTheLandscapeNone() {
    try (var detector = dev.f2p.face.opencv.OpenCvFaceDetector.create()) {
      assertThat(detector.detectFaces(FaceSketch.draw(192))).hasSize(1);
      assertThat(detector.detectFaces(Samples.landscape(256, 192))).isEmpty();
    }
  }

  @Test
  void optionsRefuseWhatTheyDoNotKnow() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse(new String[] {"--colour"}))
        .hasMessage("unknown option: --colour");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse(new String[] {"--image", "/nope.png"}))
        .hasMessageContaining("no such file");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse(new String[] {"--protocol", "openai"}))
        .hasMessage("--protocol and --model go with --remote");
  }
}
