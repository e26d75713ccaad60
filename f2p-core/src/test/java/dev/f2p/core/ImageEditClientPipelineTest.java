package dev.f2p.core;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.f2p.testing.ExpectedErrorLogs;
import dev.f2p.testing.LeakCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.Fixtures.CountingGuard;
import dev.f2p.core.testing.Fixtures.InvertingEngine;
import dev.f2p.testing.TestClients;
import dev.f2p.testing.TestClock;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(LeakCheck.class)
@ExpectedErrorLogs("dev.f2p.core.internal.Pipeline")
class ImageEditClientPipelineTest {
  /** The stages a test can make refuse, throw or return null, in pipeline order. */
  enum Step {
    AUTHENTICATION(ReasonCode.UNAUTHENTICATED),
    AUTHORIZATION(ReasonCode.FORBIDDEN),
    RATE_LIMIT(ReasonCode.RATE_LIMITED),
    PROMPT_FILTER(ReasonCode.PROMPT_REJECTED),
    IMAGE_VALIDATION(ReasonCode.IMAGE_REJECTED),
    RESOURCE_GUARD(ReasonCode.OVERLOADED),
    ENGINE(ReasonCode.ENGINE_FAILURE),
    OUTPUT(ReasonCode.OUTPUT_REJECTED);

    final ReasonCode ownReason;

    Step(ReasonCode ownReason) {
      this.ownReason = ownReason;
    }
  }

  enum Fault { REJECT, THROW, RETURN_NULL }

  private final List<Step> called = Collections.synchronizedList(new ArrayList<>());
  private final TestClients.Recorder events = new TestClients.Recorder();
  private final CountingGuard guard = new CountingGuard();

  /** A client whose every stage records its call and behaves as {@code fault} at {@code broken}. */
  private ImageEditClient clientBrokenAt(Step broken, Fault fault) {
    InvertingEngine inverter = new InvertingEngine();
    return ImageEditClient.builder()
        .authenticator((key, address) -> act(Step.AUTHENTICATION, broken, fault,
            () -> Fixtures.oneKey().authenticate(key, address)))
        .addAuthorizer((principal, request) -> act(Step.AUTHORIZATION, broken, fault,
            () -> Decision.allow(principal)))
        .rateLimiter((principal, address) -> act(Step.RATE_LIMIT, broken, fault, () -> Decision.allow(Quota.NONE)))
        .promptFilter((prompt, principal) -> act(Step.PROMPT_FILTER, broken, fault, () -> Decision.allow(prompt)))
        .imageValidator((bytes, principal) -> act(Step.IMAGE_VALIDATION, broken, fault,
            () -> Fixtures.imageIo().validate(bytes, principal)))
        .resourceGuard((principal, request) -> act(Step.RESOURCE_GUARD, broken, fault,
            () -> guard.acquire(principal, request)))
        .engine(new ImageEditEngine() {
          @Override
          public GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) throws EngineException {
            called.add(Step.ENGINE);
            if (broken == Step.ENGINE) {
              switch (fault) {
                case REJECT -> throw new EngineException(ReasonCode.ENGINE_FAILURE, "CUDA error: out of memory");
                case THROW -> throw new IllegalStateException("native crash");
                case RETURN_NULL -> {
                  return null;
                }
              }
            }
            return inverter.edit(request);
          }

          @Override
          public String modelId() {
            return "inverter-1";
          }
        })
        .outputPolicy((image, context) -> act(Step.OUTPUT, broken, fault,
            () -> Decision.allow(new OutputImage(new byte[] {1, 2, 3}, "image/png", 96, 96))))
        .addListener(events)
        .build();
  }

  private <T> Decision<T> act(Step step, Step broken, Fault fault, java.util.function.Supplier<Decision<T>> ok) {
    called.add(step);
    if (step != broken) {
      return ok.get();
    }
    return switch (fault) {
      case REJECT -> Decision.reject(step.ownReason);
      case THROW -> throw new IllegalStateException("policy bug at " + step);
      case RETURN_NULL -> null;
    };
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void aStageAfterARejectingOneIsNeverCalled(Step broken) {
    try (ImageEditClient client = clientBrokenAt(broken, Fault.REJECT)) {
      EditResult result = client.edit(Fixtures.request().build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(broken.ownReason));
      assertThat(called).containsExactlyElementsOf(List.of(Step.values()).subList(0, broken.ordinal() + 1));
    }
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void aStageThatThrowsRejectsWithItsOwnReasonAndASafeMessage(Step broken) {
    try (ImageEditClient client = clientBrokenAt(broken, Fault.THROW)) {
      EditResult result = client.edit(Fixtures.request().build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(broken.ownReason);
        assertThat(r.rejection().message()).isEqualTo(broken.ownReason.safeMessage())
            .doesNotContain("bug").doesNotContain("crash").doesNotContain("Exception");
      });
      assertThat(called).containsExactlyElementsOf(List.of(Step.values()).subList(0, broken.ordinal() + 1));
      assertThat(guard.held).hasValue(0);
    }
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void aStageThatReturnsNullRejects(Step broken) {
    try (ImageEditClient client = clientBrokenAt(broken, Fault.RETURN_NULL)) {
      EditResult result = client.edit(Fixtures.request().build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(broken.ownReason));
      assertThat(guard.held).hasValue(0);
    }
  }

  /** What a host that admits on headers and completes with the body sees: the same stages, the same events. */
  @ParameterizedTest
  @EnumSource(Step.class)
  void admittingThenCompletingRunsTheSameStagesWithTheSameEventsAsEditingAtOnce(Step broken) {
    List<Object> atOnce;
    List<Step> atOnceCalls;
    try (ImageEditClient client = clientBrokenAt(broken, Fault.REJECT)) {
      client.edit(Fixtures.request().requestId("req-1").build());
      atOnce = summary(events.events);
      atOnceCalls = List.copyOf(called);
    }
    called.clear();
    events.events.clear();
    try (ImageEditClient client = clientBrokenAt(broken, Fault.REJECT)) {
      EditRequest request = Fixtures.request().requestId("req-1").build();
      Admission admission = client.admit(AdmissionRequest.builder().apiKey(request.apiKey())
          .clientAddress(request.clientAddress()).requestId("req-1").size(96, 96).steps(2).build());
      boolean refusedAtAdmission = broken.ordinal() <= Step.RATE_LIMIT.ordinal();
      assertThat(admission.isAdmitted()).isEqualTo(!refusedAtAdmission);
      if (refusedAtAdmission) {
        // Nothing after admission ran, and the host never builds the body.
        assertThat(called).containsExactlyElementsOf(List.of(Step.values()).subList(0, broken.ordinal() + 1));
        assertThat(admission.rejection()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(broken.ownReason));
      } else {
        EditResult result = admission.edit(request);
        assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(broken.ownReason));
      }
      admission.close();
      assertThat(called).containsExactlyElementsOf(atOnceCalls);
      assertThat(summary(events.events)).isEqualTo(atOnce);
    }
  }

  private static List<Object> summary(List<SecurityEvent> events) {
    return events.stream().map(e -> List.of(e.stage(), e.outcome(), e.reason(), e.detail(), e.requestId(),
        e.principalId(), e.clientAddress())).collect(java.util.stream.Collectors.toList());
  }

  @Test
  void theLeaseIsReleasedAndTheFailureReportedWhenTheEngineFails() {
    try (ImageEditClient client = clientBrokenAt(Step.ENGINE, Fault.REJECT)) {
      for (int i = 0; i < 5; i++) {
        client.edit(Fixtures.request().build());
      }
      assertThat(guard.held).hasValue(0);
      assertThat(guard.failures).hasValue(5);
    }
  }

  @Test
  void everyRequestEndsWithExactlyOneFinalEventPlusOnePerRejection() {
    try (ImageEditClient client = clientBrokenAt(Step.PROMPT_FILTER, Fault.REJECT)) {
      client.edit(Fixtures.request().requestId("req-1").build());

      assertThat(events.events).extracting(SecurityEvent::stage, SecurityEvent::outcome).containsExactly(
          org.assertj.core.groups.Tuple.tuple(Stage.PROMPT_FILTER, Outcome.REJECTED),
          org.assertj.core.groups.Tuple.tuple(Stage.COMPLETE, Outcome.REJECTED));
      assertThat(events.events).allSatisfy(e -> {
        assertThat(e.requestId()).contains("req-1");
        assertThat(e.principalId()).contains("alice");
        assertThat(e.keyId()).contains("f2p_test_4f9a");
        assertThat(e.reason()).contains(ReasonCode.PROMPT_REJECTED);
      });
    }
  }

  @Test
  void aBusyEngineIsOverloadedWithItsRetryAfterAndNoFaultCounted() throws Exception {
    ImageEditEngine overloaded = new ImageEditEngine() {
      @Override
      public GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) throws EngineException {
        throw EngineException.overloaded(Duration.ofSeconds(7), "model server answered 503");
      }

      @Override
      public String modelId() {
        return "busy-1";
      }
    };
    try (ImageEditClient client = ImageEditClient.builder().authenticator(Fixtures.oneKey())
        .rateLimiter(dev.f2p.core.spi.RateLimiter.unlimited()).promptFilter(dev.f2p.core.spi.PromptFilter.acceptAll())
        .imageValidator(Fixtures.imageIo()).resourceGuard(guard).engine(overloaded).build()) {
      EditResult result = client.edit(Fixtures.request().build());
      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.rejection().reason()).isEqualTo(ReasonCode.OVERLOADED);
        assertThat(r.rejection().retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(r.rejection().httpStatus()).isEqualTo(503);
      });
      assertThat(guard.held).hasValue(0);
      assertThat(guard.failures).as("a busy server is not a fault").hasValue(0);
    }
    assertThatThrownBy(() -> EngineException.overloaded(Duration.ofSeconds(-1), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSuccessfulRequestReturnsTheOutputAndOneFinalEventWithFingerprintsAndTimings() throws Exception {
    byte[] key = "a deployment's fingerprint key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events).fingerprintKey(key).build()) {
      byte[] image = Fixtures.png(96, 96);
      EditResult result = client.edit(Fixtures.request().image(image).build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Success.class, s -> {
        assertThat(s.mediaType()).isEqualTo("image/png");
        assertThat(s.modelId()).isEqualTo("inverter-1");
        assertThat(s.quota()).hasValueSatisfying(q -> assertThat(q.remaining()).isEqualTo(9));
        assertThat(s.stageLatencies()).containsKeys(Stage.AUTHENTICATION, Stage.ENGINE, Stage.OUTPUT);
      });
      var decoded = ImageIO.read(new ByteArrayInputStream(((EditResult.Success) result).image()));
      var input = ImageIO.read(new ByteArrayInputStream(image));
      assertThat(decoded.getRGB(10, 10) & 0xFFFFFF).isEqualTo(~input.getRGB(10, 10) & 0xFFFFFF);
      assertThat(events.events).singleElement().satisfies(e -> {
        assertThat(e.stage()).isEqualTo(Stage.COMPLETE);
        assertThat(e.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(e.imageFingerprint()).contains(dev.f2p.core.internal.Fingerprints.withKey(key).image(image));
        assertThat(e.promptFingerprint()).hasValueSatisfying(f -> assertThat(f).startsWith("hmac-sha256/64:"));
      });
      assertThat(guard.held).hasValue(0);
    }
  }

  @Test
  void noEventEverCarriesTheKeyOrThePromptText() {
    String prompt = "a secret prompt about the forbidden garden";
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events).build()) {
      client.edit(Fixtures.request().prompt(prompt).build());
      client.edit(Fixtures.request().prompt("a fine prompt").build());
      client.edit(Fixtures.request().apiKey("f2p_test_wrong_key_1234567890abcdef").prompt(prompt).build());
    }
    assertThat(events.events).hasSizeGreaterThanOrEqualTo(4);
    for (SecurityEvent e : events.events) {
      String all = e.toString() + e.attributes() + e.keyId() + e.principalId() + e.detail() + e.promptFingerprint()
          + e.imageFingerprint() + e.clientAddress() + e.requestId();
      assertThat(all).doesNotContain(Fixtures.KEY).doesNotContain("f2p_test_wrong_key")
          .doesNotContain("secret prompt").doesNotContain("forbidden").doesNotContain("fine prompt");
    }
  }

  @Test
  void aListenerThatThrowsNeverBreaksTheRequest() {
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events)
        .addListener(e -> {
          throw new IllegalStateException("listener bug");
        })
        .build()) {
      assertThat(client.edit(Fixtures.request().build()).isSuccess()).isTrue();
    }
  }

  @Test
  void anEngineThatOverrunsItsDeadlineGetsNoResultOut() {
    TestClock clock = new TestClock();
    InvertingEngine slow = new InvertingEngine() {
      @Override
      public GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) {
        clock.advance(java.time.Duration.ofSeconds(31));
        return super.edit(request);
      }
    };
    try (ImageEditClient client = ImageEditClient.builder()
        .authenticator(Fixtures.oneKey()).rateLimiter(dev.f2p.core.spi.RateLimiter.unlimited())
        .promptFilter(dev.f2p.core.spi.PromptFilter.acceptAll()).imageValidator(Fixtures.imageIo())
        .resourceGuard(dev.f2p.core.spi.ResourceGuard.unguarded(Duration.ofSeconds(30), clock))
        .engine(slow).clock(clock).build()) {
      EditResult result = client.edit(Fixtures.request().build());
      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(ReasonCode.TIMEOUT));
    }
  }

  @Test
  void manyThreadsShareOneClient() throws Exception {
    InvertingEngine engine = new InvertingEngine();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (ImageEditClient client = Fixtures.client(engine, guard, events).build()) {
      List<Future<EditResult>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        boolean bad = i % 4 == 0;
        EditRequest request = Fixtures.request().requestId("r" + i)
            .prompt(bad ? "forbidden scene" : "a portrait " + i).build();
        results.add(pool.submit(() -> client.edit(request)));
      }
      int ok = 0;
      int rejected = 0;
      for (Future<EditResult> f : results) {
        if (f.get().isSuccess()) {
          ok++;
        } else {
          rejected++;
        }
      }
      assertThat(ok).isEqualTo(300);
      assertThat(rejected).isEqualTo(100);
      assertThat(engine.calls).hasValue(300);
      assertThat(guard.held).hasValue(0);
      assertThat(events.events.stream().filter(e -> e.stage() == Stage.COMPLETE)).hasSize(400);
      assertThat(events.events.stream().filter(e -> e.stage() == Stage.COMPLETE).map(e -> e.requestId().orElseThrow())
          .distinct()).hasSize(400);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void asyncEditRunsTheSamePipelineAndReportsProgress() throws Exception {
    AtomicInteger steps = new AtomicInteger();
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events).build()) {
      CompletableFuture<EditResult> ok = client.editAsync(Fixtures.request().steps(3).build(),
          (step, total) -> steps.incrementAndGet());
      CompletableFuture<EditResult> bad = client.editAsync(Fixtures.request().apiKey("nope").build());

      assertThat(ok.get().isSuccess()).isTrue();
      assertThat(steps).hasValue(3);
      assertThat(bad.get()).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(ReasonCode.UNAUTHENTICATED));
    }
  }

  @Test
  void aFullAsyncQueueAnswersOverloadedInsteadOfThrowing() throws Exception {
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events)
        .executor(task -> {
          throw new java.util.concurrent.RejectedExecutionException("full");
        }).build()) {
      EditResult result = client.editAsync(Fixtures.request().build()).get();
      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.OVERLOADED);
        assertThat(r.rejection().retryAfter()).isPresent();
      });
    }
  }

  @Test
  void aClosedClientRefusesAndClosesItsEngineOnce() {
    AtomicInteger closes = new AtomicInteger();
    InvertingEngine engine = new InvertingEngine() {
      @Override
      public void close() {
        closes.incrementAndGet();
      }
    };
    ImageEditClient client = Fixtures.client(engine, guard, events).build();
    client.close();
    client.close();

    assertThat(closes).hasValue(1);
    assertThat(client.edit(Fixtures.request().build())).isInstanceOfSatisfying(EditResult.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
    assertThat(engine.calls).hasValue(0);
  }

  @Test
  void buildListsEveryMissingRequiredPolicy() {
    assertThatThrownBy(() -> ImageEditClient.builder().authenticator(Fixtures.oneKey()).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("rateLimiter").hasMessageContaining("promptFilter")
        .hasMessageContaining("imageValidator").hasMessageContaining("resourceGuard").hasMessageContaining("engine")
        .hasMessageNotContaining("authenticator");
  }

  @Test
  void settingAPolicyTwiceIsAnError() {
    assertThatThrownBy(() -> ImageEditClient.builder().authenticator(Fixtures.oneKey()).authenticator(Fixtures.oneKey()))
        .isInstanceOf(IllegalStateException.class).hasMessage("authenticator was already set");
  }

  @Test
  void adminActionsNeedTheAdminRoleAndAreAudited() {
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events).build()) {
      assertThat(client.authorizeAdmin(Fixtures.ADMIN_KEY, "127.0.0.1", "lockdown").isAllowed()).isTrue();
      assertThat(client.authorizeAdmin(Fixtures.KEY, "127.0.0.1", "lockdown")).isInstanceOfSatisfying(
          Decision.Rejected.class, r -> assertThat(r.rejection().reason()).isEqualTo(ReasonCode.FORBIDDEN));
      assertThat(client.authorizeAdmin("bad", "127.0.0.1", "lockdown")).isInstanceOfSatisfying(
          Decision.Rejected.class, r -> assertThat(r.rejection().reason()).isEqualTo(ReasonCode.UNAUTHENTICATED));
    }
    assertThat(events.events).anySatisfy(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.ALLOWED);
      assertThat(e.attributes()).containsEntry("admin.action", "lockdown");
    });
  }

  @Test
  void aRejectionAfterTheRateLimitCarriesTheQuotaForHeaders() {
    try (ImageEditClient client = Fixtures.client(new InvertingEngine(), guard, events).build()) {
      EditResult result = client.edit(Fixtures.request().prompt("forbidden thing").build());
      assertThat(result.quota()).hasValueSatisfying(q -> assertThat(q.policy()).isEqualTo("per-key"));
      assertThat(((EditResult.Rejected) result).rejection().detail()).isEqualTo("VIOLENCE");
    }
  }

}
