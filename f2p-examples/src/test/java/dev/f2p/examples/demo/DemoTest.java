package dev.f2p.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

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
    Path script = Path.of("../f2p-engine-remote/src/test/python/model_server.py").toAbsolutePath().normalize();
    boolean python = new ProcessBuilder("/usr/bin/python3", "-c", "import fastapi, uvicorn, multipart")
        .redirectErrorStream(true).start().waitFor() == 0;
    if (!python) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("python3 with fastapi and uvicorn is missing; .ci/run installs it");
      }
      org.junit.jupiter.api.Assumptions.abort("python3 with fastapi and uvicorn is missing (CI installs it)");
    }
    Process server = new ProcessBuilder("/usr/bin/python3", script.toString(), "--model", "qwen-image-edit-f2p")
        .redirectErrorStream(true).start();
    try {
      java.io.BufferedReader lines = new java.io.BufferedReader(
          new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = lines.readLine();
      assertThat(first).as("the model server's first line").startsWith("PORT ");
      Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "model-server-drain");
      drain.setDaemon(true);
      drain.start();
      String url = "http://127.0.0.1:" + first.substring(5).trim();
      awaitListening(url);
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      Options options = Options.parse(new String[] {"--out", out.toString(), "--remote", url + "*2", "--protocol",
          "openai", "--model", "qwen-image-edit-f2p"});

      int code = new Demo(options, new PrintStream(text, true, StandardCharsets.UTF_8)).run();

      String printed = text.toString(StandardCharsets.UTF_8);
      assertThat(code).as(printed).isZero();
      assertThat(printed).contains("Connected to " + url + "*2 (openai, model qwen-image-edit-f2p pinned)")
          .contains("2 slot(s), up: true")
          .contains("UNAUTHENTICATED/INVALID_KEY", "PROMPT_REJECTED/NON_CONSENSUAL", "IMAGE_REJECTED/TOO_LARGE",
              "IMAGE_REJECTED/NO_FACE", "RATE_LIMITED/KEY_QUOTA")
          .contains("127.0.0.1:" + first.substring(5).trim() + " ", "up=true", "capacity=2", "ejections=0")
          .contains("matches this output's ProduceID")
          .doesNotContain("HASH_MISMATCH");
      byte[] result = Files.readAllBytes(out.resolve("result.png"));
      assertThat(ProvenanceReader.labelsOnly().read(result).label()).isPresent();
    } finally {
      server.destroy();
      if (!server.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /** Waits (at most 20 s) for the server's control path, as the engine's tests do. */
  private static void awaitListening(String url) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/_test/stats")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
        return;
      } catch (java.io.IOException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(50);
      }
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
