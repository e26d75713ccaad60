package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.GeneratedImage;
import inference.GrpcPredictV2.ModelInferRequest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Open Inference Protocol over gRPC against a real Netty server built on the same generated stubs. */
class OipGrpcEngineTest {
  private static final String MODEL = "qwen_image_edit_f2p";
  private static GrpcModelServer server;
  private static RemoteImageEditEngine engine;

  @BeforeAll
  static void start() throws Exception {
    server = new GrpcModelServer(MODEL, "3");
    engine = engine(server.uri());
    Requests.awaitAvailable(engine);
  }

  static RemoteImageEditEngine engine(URI uri) throws Exception {
    return RemoteImageEditEngine.builder().protocol(Protocol.OIP_GRPC).endpoint(new RemoteEndpoint(uri, 2))
        .model(MODEL).modelVersion("3").allowPlaintextLoopback(true).maxAnswerBytes(1 << 20).breakerThreshold(100)
        .healthInterval(Duration.ofSeconds(2)).probeTimeout(Duration.ofSeconds(2)).build();
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
  void healthy() {
    server.fault.set("none");
  }

  @Test
  void sendsTheTensorContractAndTheDeadline() throws Exception {
    GeneratedImage image = engine.edit(Requests.edit(64, 48, Duration.ofSeconds(10)));

    assertThat(image.pixels().getWidth()).isEqualTo(64);
    assertThat(image.pixels().getHeight()).isEqualTo(48);
    assertThat(image.modelId()).isEqualTo(MODEL + ":3");
    ModelInferRequest r = server.last.get();
    assertThat(r.getModelName()).isEqualTo(MODEL);
    assertThat(r.getModelVersion()).isEqualTo("3");
    assertThat(r.getInputsList()).extracting(i -> i.getName() + ":" + i.getDatatype())
        .containsExactly("image:BYTES", "prompt:BYTES", "negative_prompt:BYTES");
    assertThat(r.getInputs(1).getContents().getBytesContents(0).toStringUtf8()).isEqualTo("a portrait in soft light");
    assertThat(r.getInputs(2).getContents().getBytesContents(0).toStringUtf8()).isEqualTo("blurry");
    assertThat(r.getParametersOrThrow("steps").getInt64Param()).isEqualTo(12);
    assertThat(r.getParametersOrThrow("guidance").getStringParam()).isEqualTo("4.5");
    assertThat(r.getParametersOrThrow("seed").getInt64Param()).isEqualTo(42);
    assertThat(r.getParametersOrThrow("timeout").getInt64Param()).isBetween(1L, 10_000_000L);
  }

  @Test
  void resourceExhaustedIsOverloadedWithTheServersRetryAfter() {
    server.fault.set("busy");
    assertThatThrownBy(() -> engine.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class, e -> {
      assertThat(e.reason()).isEqualTo(ReasonCode.OVERLOADED);
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    });
  }

  @Test
  void theDeadlineCancelsTheCallOnTheServer() {
    server.fault.set("slow");
    int before = server.cancelled.get();
    long start = System.nanoTime();
    assertThatThrownBy(() -> engine.edit(Requests.edit(64, 48, Duration.ofMillis(400))))
        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo(ReasonCode.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (server.cancelled.get() == before && System.nanoTime() < until) {
      ModelServer.sleep(10);
    }
    assertThat(server.cancelled.get()).as("the server saw the call cancelled").isGreaterThan(before);
  }

  @Test
  void refusedAnswers() {
    for (String fault : new String[] {"error", "answer-model", "oversized", "not-image"}) {
      server.fault.set(fault);
      assertThatThrownBy(() -> engine.edit(Requests.edit())).as(fault).isInstanceOfSatisfying(EngineException.class,
          e -> assertThat(e.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
    }
  }

  @Test
  void aServerWithAnotherModelIsNeverUsed() throws Exception {
    try (GrpcModelServer other = new GrpcModelServer("another_model", "3");
        RemoteImageEditEngine e = engine(other.uri())) {
      assertThat(e.isAvailable()).isFalse();
      assertThatThrownBy(() -> e.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class,
          x -> assertThat(x.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
      assertThat(other.requests.get()).isZero();
    }
  }

  @Test
  void aServerThatDiesMidCallIsUnavailableAndNotRetried() throws Exception {
    try (GrpcModelServer dying = new GrpcModelServer(MODEL, "3"); RemoteImageEditEngine e = engine(dying.uri())) {
      Requests.awaitAvailable(e);
      dying.fault.set("reset");
      assertThatThrownBy(() -> e.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class,
          x -> assertThat(x.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
      assertThat(dying.requests.get()).isEqualTo(1);
    }
  }
}
