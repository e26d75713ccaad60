package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.GeneratedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Open Inference Protocol over REST against a real server, with Triton's binary tensors and as plain JSON;
 * the plain JSON exchanges (health, metadata, inference) pass through Prism, which checks every request and
 * response against the shared OpenAPI specification. (The binary extension is Triton's, outside that
 * specification: its requests are not JSON, so Prism cannot check them.)
 */
class OipRestEngineTest {
  private static final String MODEL = "qwen_image_edit_f2p";
  private static ModelServer server;
  private static RemoteImageEditEngine binary;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = ModelServer.start(MODEL, "3");
    binary = engine(server.uri(), true);
    Requests.awaitAvailable(binary);
  }

  static RemoteImageEditEngine engine(URI uri, boolean binaryTensors) throws Exception {
    return RemoteImageEditEngine.builder().protocol(Protocol.OIP_REST).endpoint(new RemoteEndpoint(uri, 2))
        .model(MODEL).modelVersion("3").allowPlaintextLoopback(true).binaryTensors(binaryTensors)
        .maxAnswerBytes(1 << 20).breakerThreshold(100).healthInterval(Duration.ofSeconds(1))
        .probeTimeout(Duration.ofSeconds(1)).build();
  }

  @AfterAll
  static void stop() {
    if (binary != null) {
      binary.close();
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
  void binaryTensorsCarryTheContractAndTheDeadlineAsTritonsTimeout() throws Exception {
    GeneratedImage image = binary.edit(Requests.edit(64, 48, Duration.ofSeconds(10)));

    assertThat(image.pixels().getWidth()).isEqualTo(64);
    assertThat(image.pixels().getHeight()).isEqualTo(48);
    assertThat(image.modelId()).isEqualTo(MODEL + ":3");
    JsonObject last = server.last();
    assertThat(last.get("binary").getAsBoolean()).isTrue();
    assertThat(last.getAsJsonArray("inputs").toString()).isEqualTo("[\"image\",\"negative_prompt\",\"prompt\"]");
    assertThat(last.getAsJsonArray("image_size").toString()).isEqualTo("[40,30]");
    assertThat(last.get("prompt").getAsString()).isEqualTo("a portrait in soft light");
    assertThat(last.get("negative_prompt").getAsString()).isEqualTo("blurry");
    JsonObject p = last.getAsJsonObject("parameters");
    assertThat(p.get("steps").getAsInt()).isEqualTo(12);
    assertThat(p.get("guidance").getAsDouble()).isEqualTo(4.5);
    assertThat(p.get("seed").getAsLong()).isEqualTo(42);
    assertThat(p.get("width").getAsInt()).isEqualTo(64);
    assertThat(p.get("height").getAsInt()).isEqualTo(48);
    assertThat(p.get("timeout").getAsLong()).isBetween(1L, 10_000_000L);
  }

  @Test
  void plainJsonExchangesConformToTheSpecification() throws Exception {
    try (Prism prism = Prism.proxy(server.uri(), dir);
        RemoteImageEditEngine json = engine(prism.uri(), false)) {
      Requests.awaitAvailable(json);
      assertThat(json.isAvailable()).isTrue();
      GeneratedImage image = json.edit(Requests.edit(32, 32, Duration.ofSeconds(10)));
      assertThat(image.pixels().getWidth()).isEqualTo(32);
      assertThat(server.last().get("binary").getAsBoolean()).isFalse();
      assertThat(prism.log()).anyMatch(l -> l.contains("/infer")).anyMatch(l -> l.contains("/ready"));
      assertThat(prism.violations()).isEmpty();

      // The check can fail: a request without inputs is refused by Prism, and reported.
      HttpResponse<String> bad = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
          HttpRequest.newBuilder(prism.uri().resolve("/v2/models/" + MODEL + "/versions/3/infer"))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"outputs\":[]}"))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(422);
      assertThat(bad.body()).contains("must have required property 'inputs'");
    }
  }

  @Test
  void anAnswerFromAnotherModelIsRefused() throws Exception {
    server.fault("answer-model");
    assertReason(ReasonCode.ENGINE_UNAVAILABLE);
  }

  @Test
  void aServerWithAnotherModelIsNeverUsed() throws Exception {
    try (ModelServer other = ModelServer.start("another_model", "3");
        RemoteImageEditEngine e = engine(other.uri(), true)) {
      assertThat(e.isAvailable()).isFalse();
      assertThat(e.endpointStatus().get(0).up()).isFalse();
      assertThatThrownBy(() -> e.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class,
          x -> assertThat(x.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
      assertThat(other.requests()).isZero();
    }
  }

  @Test
  void oversizedAndNonImageAnswersAreRefused() throws Exception {
    for (String fault : new String[] {"oversized", "not-image", "wrong-size"}) {
      server.fault(fault);
      assertReason(ReasonCode.ENGINE_UNAVAILABLE);
    }
  }

  @Test
  void aBusyServerIsOverloadedWithItsRetryAfter() throws Exception {
    server.fault("busy");
    assertThatThrownBy(() -> binary.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class, e -> {
      assertThat(e.reason()).isEqualTo(ReasonCode.OVERLOADED);
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    });
  }

  /** The attack: a server that takes the request and holds the answer back, to hold the engine's slot. */
  @Test
  void aSlowAnswerEndsAtTheDeadlineAndTheConnectionIsClosed() throws Exception {
    Requests.assertASlowAnswerEndsAtTheDeadline(binary, server);
  }

  private static void assertReason(ReasonCode reason) {
    assertThatThrownBy(() -> binary.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
