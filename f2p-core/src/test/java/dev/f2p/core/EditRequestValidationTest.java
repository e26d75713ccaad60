package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.Fixtures.CountingGuard;
import dev.f2p.core.testing.Fixtures.InvertingEngine;
import dev.f2p.testing.TestClients;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EditRequestValidationTest {
  private final InvertingEngine engine = new InvertingEngine();
  private final TestClients.Recorder events = new TestClients.Recorder();
  private final ImageEditClient client = Fixtures.client(engine, new CountingGuard(), events).build();

  @AfterEach
  void close() {
    client.close();
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of("apiKey", (UnaryOperator<EditRequest.Builder>) b -> b.apiKey("k".repeat(513))),
        Arguments.of("clientAddress", (UnaryOperator<EditRequest.Builder>) b -> b.clientAddress("")),
        Arguments.of("clientAddress", (UnaryOperator<EditRequest.Builder>) b -> b.clientAddress("1".repeat(65))),
        Arguments.of("requestId", (UnaryOperator<EditRequest.Builder>) b -> b.requestId("has space")),
        Arguments.of("requestId", (UnaryOperator<EditRequest.Builder>) b -> b.requestId("x".repeat(129))),
        Arguments.of("image", (UnaryOperator<EditRequest.Builder>) b -> b.image(new byte[0])),
        Arguments.of("prompt", (UnaryOperator<EditRequest.Builder>) b -> b.prompt("  ")),
        Arguments.of("prompt", (UnaryOperator<EditRequest.Builder>) b -> b.prompt("p".repeat(4001))),
        Arguments.of("negativePrompt", (UnaryOperator<EditRequest.Builder>) b -> b.negativePrompt("n".repeat(4001))),
        Arguments.of("width", (UnaryOperator<EditRequest.Builder>) b -> b.size(63, 512)),
        Arguments.of("width", (UnaryOperator<EditRequest.Builder>) b -> b.size(4097, 512)),
        Arguments.of("height", (UnaryOperator<EditRequest.Builder>) b -> b.size(512, 63)),
        Arguments.of("height", (UnaryOperator<EditRequest.Builder>) b -> b.size(512, 4097)),
        Arguments.of("steps", (UnaryOperator<EditRequest.Builder>) b -> b.steps(0)),
        Arguments.of("steps", (UnaryOperator<EditRequest.Builder>) b -> b.steps(151)),
        Arguments.of("guidanceScale", (UnaryOperator<EditRequest.Builder>) b -> b.guidanceScale(-0.5)),
        Arguments.of("guidanceScale", (UnaryOperator<EditRequest.Builder>) b -> b.guidanceScale(30.5)),
        Arguments.of("guidanceScale", (UnaryOperator<EditRequest.Builder>) b -> b.guidanceScale(Double.NaN)),
        Arguments.of("seed", (UnaryOperator<EditRequest.Builder>) b -> b.seed(-1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void eachConstraintIsEnforcedBeforeAnythingElseRuns(String field, UnaryOperator<EditRequest.Builder> breakIt) {
    EditResult result = client.edit(breakIt.apply(Fixtures.request()).build());

    assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
      assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_REQUEST);
      assertThat(r.rejection().httpStatus()).isEqualTo(400);
      assertThat(r.rejection().message()).startsWith("Invalid request: ").contains(field);
    });
    assertThat(engine.calls).hasValue(0);
    assertThat(events.events).extracting(SecurityEvent::stage)
        .containsExactly(Stage.REQUEST_VALIDATION, Stage.COMPLETE);
  }

  @Test
  void boundaryValuesAreAccepted() {
    EditRequest request = Fixtures.request().size(64, 64).steps(1).guidanceScale(0).seed(0).build();

    assertThat(client.edit(request).isSuccess()).isTrue();
  }

  @Test
  void violationMessageNamesFieldsButNeverEchoesValues() {
    EditResult result = client.edit(Fixtures.request().requestId("id with\nnewline").clientAddress("").build());

    EditResult.Rejected r = (EditResult.Rejected) result;
    assertThat(r.rejection().message()).contains("requestId").contains("clientAddress").doesNotContain("newline");
    assertThat(r.requestId()).matches("[0-9a-f-]{36}");
  }
}
