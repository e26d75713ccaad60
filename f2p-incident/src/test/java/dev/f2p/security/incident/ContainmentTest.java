package dev.f2p.security.incident;

import dev.f2p.testing.LeakCheck;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Confidence;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.testing.TestClients;
import dev.f2p.testing.TestClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainmentTest {
  @RegisterExtension final LeakCheck leaks = new LeakCheck();
  private final TestClock clock = new TestClock();
  private final TestClients.Recorder events = new TestClients.Recorder();

  private ImageEditClient client(IncidentControl control) {
    return TestClients.client(new TestClients.Keys(),
            leaks.track(ResourceGuard.unguarded(Duration.ofSeconds(30), clock)), new TestClients.ScriptedEngine())
        .addAuthorizer(Authorizer.standardRoles()).addAuthorizer(control)
        // Listed as a listener too: the client tells it each event once, so the counts below hold.
        .addListener(control).addListener(events).clock(clock).build();
  }

  private static EditResult forbiddenPrompt(ImageEditClient client) {
    return client.edit(TestClients.request(TestClients.ALICE_KEY).prompt("something forbidden").build());
  }

  @Test
  void fivePromptRejectionsWithinTenMinutesSuspendThePrincipalForAnHour() {
    IncidentControl control = IncidentControl.builder().clock(clock).addRule(ContainmentRule.PROMPT_ABUSE).build();
    try (ImageEditClient client = client(control)) {
      for (int i = 0; i < 4; i++) {
        assertThat(((EditResult.Rejected) forbiddenPrompt(client)).rejection().reason())
            .isEqualTo(ReasonCode.PROMPT_REJECTED);
        clock.advance(Duration.ofMinutes(2));
      }
      assertThat(client.edit(TestClients.request(TestClients.ALICE_KEY).build())).isInstanceOf(EditResult.Success.class);
      forbiddenPrompt(client);

      EditResult next = client.edit(TestClients.request(TestClients.ALICE_KEY).build());
      assertThat(((EditResult.Rejected) next).rejection().detail()).isEqualTo(IncidentControl.PRINCIPAL_SUSPENDED);
      SecurityEvent fired = events.events.stream().filter(e -> e.stage() == Stage.INCIDENT).findFirst().orElseThrow();
      assertThat(fired.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(fired.outcome()).isEqualTo(Outcome.NOTICE);
      assertThat(fired.principalId()).contains("alice");
      assertThat(fired.reason()).contains(ReasonCode.PROMPT_REJECTED);
      assertThat(fired.attributes()).containsEntry("incident.rule", "prompt-abuse");
      assertThat(client.edit(TestClients.request(TestClients.BOB_KEY).build())).isInstanceOf(EditResult.Success.class);

      clock.advance(Duration.ofHours(1));
      assertThat(client.edit(TestClients.request(TestClients.ALICE_KEY).build())).isInstanceOf(EditResult.Success.class);
    }
  }

  private static SecurityEvent promptRefusal(Confidence confidence) {
    return SecurityEvent.builder(Stage.PROMPT_FILTER, Outcome.REJECTED).principalId("alice")
        .rejection(Rejection.of(ReasonCode.PROMPT_REJECTED, "HATE", "The prompt is not allowed.").withConfidence(confidence))
        .build();
  }

  @Test
  void lowConfidenceRefusalsNeverSuspendAnyoneByDefault() {
    IncidentControl control = IncidentControl.builder().clock(clock).addRule(ContainmentRule.PROMPT_ABUSE).build();
    control.attach(events::onEvent);
    for (int i = 0; i < 20; i++) {
      control.onEvent(promptRefusal(Confidence.LOW));
    }
    assertThat(events.events).noneMatch(e -> e.stage() == Stage.INCIDENT);
    for (int i = 0; i < 5; i++) {
      control.onEvent(promptRefusal(Confidence.HIGH));
    }
    assertThat(events.events).anyMatch(e -> e.stage() == Stage.INCIDENT);
  }

  @Test
  void aRuleIncludingLowCountsThemToo() {
    ContainmentRule rule = ContainmentRule.parse("all", "PROMPT_REJECTED by principal 5/10m -> suspend 1h including low");
    assertThat(rule.countsLow()).isTrue();
    assertThat(ContainmentRule.PROMPT_ABUSE.countsLow()).isFalse();
    IncidentControl control = IncidentControl.builder().clock(clock).addRule(rule).build();
    control.attach(events::onEvent);
    for (int i = 0; i < 5; i++) {
      control.onEvent(promptRefusal(Confidence.LOW));
    }
    assertThat(events.events).anyMatch(e -> e.stage() == Stage.INCIDENT);
  }

  @Test
  void refusalsSpreadWiderThanTheWindowDoNotFire() {
    IncidentControl control = IncidentControl.builder().clock(clock).addRule(ContainmentRule.PROMPT_ABUSE).build();
    try (ImageEditClient client = client(control)) {
      for (int i = 0; i < 12; i++) {
        forbiddenPrompt(client);
        clock.advance(Duration.ofMinutes(3));
      }
      assertThat(client.edit(TestClients.request(TestClients.ALICE_KEY).build())).isInstanceOf(EditResult.Success.class);
      assertThat(events.events).noneMatch(e -> e.stage() == Stage.INCIDENT);
    }
  }

  @Test
  void fiftyAuthenticationFailuresFromOneAddressBlockItForFifteenMinutes() {
    IncidentControl control = IncidentControl.builder().clock(clock)
        .addRule(ContainmentRule.CREDENTIAL_STUFFING).build();
    try (ImageEditClient client = client(control)) {
      for (int i = 0; i < 50; i++) {
        client.edit(TestClients.request("f2p_guess_" + i).build());
      }
      EditResult r = client.edit(TestClients.request(TestClients.ALICE_KEY).build());
      assertThat(((EditResult.Rejected) r).rejection().detail()).isEqualTo(IncidentControl.ADDRESS_BLOCKED);
      assertThat(((EditResult.Rejected) r).rejection().retryAfter()).contains(Duration.ofMinutes(15));
      assertThat(events.events).filteredOn(e -> e.stage() == Stage.INCIDENT).singleElement()
          .satisfies(e -> assertThat(e.clientAddress()).contains(TestClients.ADDRESS));
      assertThat(client.edit(TestClients.request(TestClients.ALICE_KEY).clientAddress("192.0.2.1").build()))
          .isInstanceOf(EditResult.Success.class);
    }
  }

  @Test
  void trackedSubjectsAreBoundedPerRule() {
    IncidentControl control = IncidentControl.builder().clock(clock).maxTracked(3)
        .addRule(ContainmentRule.parse("probe", "UNAUTHENTICATED by address 1000/1h -> block 1h")).build();
    for (int i = 0; i < 100; i++) {
      control.onEvent(SecurityEvent.builder(Stage.AUTHENTICATION, Outcome.REJECTED).reason(ReasonCode.UNAUTHENTICATED)
          .clientAddress("10.0.0." + i).build());
    }
    assertThat(control.trackedSubjects()).isEqualTo(3);
  }

  @Test
  void rulesParseAndMatchDetails() {
    ContainmentRule r = ContainmentRule.parse("hash", "IMAGE_REJECTED/HASH_LISTED by principal 1/1m -> suspend 1d");
    assertThat(r.detail()).contains("HASH_LISTED");
    assertThat(r.by()).isEqualTo(IncidentTarget.PRINCIPAL);
    assertThat(r.duration()).isEqualTo(Duration.ofDays(1));
    IncidentControl control = IncidentControl.builder().clock(clock).addRule(r).build();
    control.onEvent(SecurityEvent.builder(Stage.IMAGE_VALIDATION, Outcome.REJECTED)
        .reason(ReasonCode.IMAGE_REJECTED).detail("TOO_LARGE").principalId("eve").build());
    assertThat(control.restrictedUntil(IncidentTarget.PRINCIPAL, "eve")).isEmpty();
    control.onEvent(SecurityEvent.builder(Stage.IMAGE_VALIDATION, Outcome.REJECTED)
        .reason(ReasonCode.IMAGE_REJECTED).detail("HASH_LISTED").principalId("eve").build());
    assertThat(control.restrictedUntil(IncidentTarget.PRINCIPAL, "eve")).isPresent();
    assertThat(ContainmentRule.PROMPT_ABUSE).isEqualTo(new ContainmentRule("prompt-abuse", ReasonCode.PROMPT_REJECTED,
        Optional.empty(), IncidentTarget.PRINCIPAL, 5, Duration.ofMinutes(10), Duration.ofHours(1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "PROMPT_REJECTED", "PROMPT_REJECTED by key 5/10m -> suspend 1h", "NOPE by principal 5/10m -> suspend 1h",
      "PROMPT_REJECTED by principal 0/10m -> suspend 1h", "PROMPT_REJECTED by principal 5/soon -> suspend 1h",
      "PROMPT_REJECTED by principal 5/10m -> delete 1h", "PROMPT_REJECTED by principal 99999/10m -> suspend 1h"})
  void malformedRulesFailNamingTheRule(String text) {
    assertThatThrownBy(() -> ContainmentRule.parse("f2p.listener.incident.rule.x", text))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rule f2p.listener.incident.rule.x");
  }
}
