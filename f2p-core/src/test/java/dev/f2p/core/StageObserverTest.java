package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.internal.EventDispatcher;
import dev.f2p.core.spi.StageObserver;
import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.Fixtures.CountingGuard;
import dev.f2p.core.testing.Fixtures.InvertingEngine;
import dev.f2p.testing.LeakCheck;
import dev.f2p.testing.TestClients;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

/** The hook tracing hangs a span per stage on, and the request id in the MDC while the security log writes. */
@ExtendWith(LeakCheck.class)
class StageObserverTest {
  /** What an observer is told: the stage, the request, how it ended; nothing the caller sent. */
  record Told(Stage stage, String requestId, String thread, Outcome outcome, Optional<ReasonCode> reason) {}

  static final class Recording implements StageObserver {
    final List<Told> spans = new CopyOnWriteArrayList<>();

    @Override
    public StageObserver.Span start(Stage stage, String requestId) {
      String thread = Thread.currentThread().getName();
      return (outcome, reason) -> spans.add(new Told(stage, requestId, thread, outcome, reason));
    }
  }

  private final TestClients.Recorder events = new TestClients.Recorder();
  private final CountingGuard guard = new CountingGuard();

  @Test
  void everyStageOfAnEditIsOneSpanInPipelineOrder() {
    Recording observer = new Recording();
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events).addStageObserver(observer)
        .build()) {
      EditResult result = client.edit(Fixtures.request().requestId("r-ok").build());
      assertThat(result.isSuccess()).isTrue();
    }
    // Two AUTHENTICATION spans: the authorizers' refusal before any key is hashed, then the authenticator.
    assertThat(observer.spans).extracting(Told::stage).containsExactly(Stage.REQUEST_VALIDATION,
        Stage.AUTHENTICATION, Stage.AUTHENTICATION, Stage.AUTHORIZATION, Stage.RATE_LIMIT, Stage.PROMPT_FILTER, Stage.IMAGE_VALIDATION,
        Stage.RESOURCE_GUARD, Stage.ENGINE, Stage.OUTPUT);
    assertThat(observer.spans).allSatisfy(s -> {
      assertThat(s.requestId()).isEqualTo("r-ok");
      assertThat(s.outcome()).isEqualTo(Outcome.ALLOWED);
      assertThat(s.reason()).isEmpty();
    });
  }

  @Test
  void aRefusingStageEndsItsSpanWithTheReasonAndNoLaterStageStarts() {
    Recording observer = new Recording();
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events).addStageObserver(observer)
        .build()) {
      client.edit(Fixtures.request().requestId("r-no").prompt("something forbidden").build());
    }
    Told last = observer.spans.get(observer.spans.size() - 1);
    assertThat(last.stage()).isEqualTo(Stage.PROMPT_FILTER);
    assertThat(last.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(last.reason()).contains(ReasonCode.PROMPT_REJECTED);
    assertThat(observer.spans).extracting(Told::stage).doesNotContain(Stage.ENGINE);
  }

  @Test
  void anObserverThatThrowsChangesNothing() {
    StageObserver broken = (stage, id) -> {
      if (stage == Stage.ENGINE) {
        throw new IllegalStateException("tracing backend down");
      }
      return (outcome, reason) -> {
        throw new IllegalStateException("tracing backend down");
      };
    };
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events).addStageObserver(broken)
        .build()) {
      assertThat(client.edit(Fixtures.request().build()).isSuccess()).isTrue();
    }
  }

  @Test
  void listenersSeeTheRequestIdInTheMdcAndItIsGoneAfterwards() {
    List<String> seen = new CopyOnWriteArrayList<>();
    MDC.put(EventDispatcher.REQUEST_ID, "outer");
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events)
        .addListener(e -> seen.add(MDC.get(EventDispatcher.REQUEST_ID))).build()) {
      client.edit(Fixtures.request().requestId("r-mdc").prompt("something forbidden").build());
      assertThat(seen).isNotEmpty().containsOnly("r-mdc");
      assertThat(MDC.get(EventDispatcher.REQUEST_ID)).isEqualTo("outer");
    } finally {
      MDC.remove(EventDispatcher.REQUEST_ID);
    }
  }
}
