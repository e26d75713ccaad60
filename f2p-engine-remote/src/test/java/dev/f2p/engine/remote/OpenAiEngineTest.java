package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.testing.ImageIoDiskCache;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI images edit transport against a real server (FastAPI on uvicorn), faults injected there. */
class OpenAiEngineTest {
  private static final String MODEL = "Qwen/Qwen-Image-Edit-F2P";
  private static ModelServer server;
  private static RemoteImageEditEngine engine;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = ModelServer.start(MODEL, "");
    Path token = dir.resolve("token");
    Files.writeString(token, "sk-test-123\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    engine = engine(server.uri(), token, 1 << 20);
    Requests.awaitAvailable(engine);
  }

  static RemoteImageEditEngine engine(URI uri, Path token, long maxAnswer) throws Exception {
    return RemoteImageEditEngine.builder().protocol(Protocol.OPENAI).endpoint(new RemoteEndpoint(uri, 4))
        .model(MODEL).bearerTokenFromFile(token).allowPlaintextLoopback(true).maxAnswerBytes(maxAnswer)
        .healthInterval(Duration.ofSeconds(1)).probeTimeout(Duration.ofSeconds(1)).breakerThreshold(100).build();
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void healthy() throws Exception {
    server.fault("none");
  }

  @Test
  void sendsTheDocumentedFieldsAndReturnsTheImageOfTheSizeAskedFor() throws Exception {
    GeneratedImage image = engine.edit(Requests.edit());

    assertThat(image.pixels().getWidth()).isEqualTo(64);
    assertThat(image.pixels().getHeight()).isEqualTo(48);
    assertThat(image.modelId()).isEqualTo(MODEL);
    JsonObject last = server.last();
    JsonObject fields = last.getAsJsonObject("fields");
    assertThat(fields.get("model").getAsString()).isEqualTo(MODEL);
    assertThat(fields.get("prompt").getAsString()).isEqualTo("a portrait in soft light");
    assertThat(fields.get("negative_prompt").getAsString()).isEqualTo("blurry");
    assertThat(fields.get("size").getAsString()).isEqualTo("64x48");
    assertThat(fields.get("n").getAsString()).isEqualTo("1");
    assertThat(fields.get("response_format").getAsString()).isEqualTo("b64_json");
    assertThat(fields.get("output_format").getAsString()).isEqualTo("png");
    assertThat(fields.get("num_inference_steps").getAsString()).isEqualTo("12");
    assertThat(fields.get("guidance_scale").getAsString()).isEqualTo("4.5");
    assertThat(fields.get("seed").getAsString()).isEqualTo("42");
    assertThat(last.get("image_type").getAsString()).isEqualTo("image/png");
    assertThat(last.getAsJsonArray("image_size").toString()).isEqualTo("[40,30]");
    assertThat(last.get("authorization").getAsString()).isEqualTo("Bearer sk-test-123");
  }

  @Test
  void theFaceSentAndTheImageReceivedStayOffTheDisk() throws Exception {
    GeneratedImage image = ImageIoDiskCache.unusableDuring(() -> engine.edit(Requests.edit()));

    assertThat(image.pixels().getWidth()).isEqualTo(64);
    assertThat(server.last().getAsJsonArray("image_size").toString()).isEqualTo("[40,30]");
  }

  @Test
  void aBusyServerIsOverloadedWithItsRetryAfter() throws Exception {
    server.fault("busy");
    assertThatThrownBy(() -> engine.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class, e -> {
      assertThat(e.reason()).isEqualTo(ReasonCode.OVERLOADED);
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    });
    server.fault("too-many");
    assertThatThrownBy(() -> engine.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class, e -> {
      assertThat(e.reason()).isEqualTo(ReasonCode.OVERLOADED);
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    });
  }

  @Test
  void aServerErrorIsUnavailable() throws Exception {
    server.fault("error");
    assertReason(ReasonCode.ENGINE_UNAVAILABLE);
  }

  @Test
  void aSlowAnswerEndsAtTheDeadlineAndTheConnectionIsClosed() throws Exception {
    Requests.assertASlowAnswerEndsAtTheDeadline(engine, server);
  }

  @Test
  void anOversizedAnswerIsRefusedWhileReading() throws Exception {
    server.fault("oversized");
    assertReason(ReasonCode.ENGINE_UNAVAILABLE);
  }

  @Test
  void anAnswerThatIsNotAPngIsRefused() throws Exception {
    server.fault("not-image");
    assertReason(ReasonCode.ENGINE_UNAVAILABLE);
  }

  @Test
  void anImageOfAnotherSizeIsRefused() throws Exception {
    server.fault("wrong-size");
    assertReason(ReasonCode.ENGINE_UNAVAILABLE);
  }

  @Test
  void aServerWithAnotherModelIsNeverUsed(@TempDir Path tmp) throws Exception {
    try (ModelServer other = ModelServer.start("another-model", "")) {
      Path token = tmp.resolve("t");
      Files.writeString(token, "x");
      Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
      try (RemoteImageEditEngine e = engine(other.uri(), token, 1 << 20)) {
        assertThat(e.isAvailable()).isFalse();
        assertThatThrownBy(() -> e.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class,
            x -> assertThat(x.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
        assertThat(other.requests()).isZero();
      }
    }
  }

  @Test
  void aWorldReadableTokenFileIsRefused(@TempDir Path tmp) throws Exception {
    Path token = tmp.resolve("t");
    Files.writeString(token, "x");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> engine(server.uri(), token, 1 << 20)).hasMessageContaining("chmod 600")
        .hasMessageNotContaining("x\n");
  }

  private static void assertReason(ReasonCode reason) {
    assertThatThrownBy(() -> engine.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
