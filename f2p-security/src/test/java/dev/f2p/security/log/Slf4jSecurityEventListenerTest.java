package dev.f2p.security.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.testing.TestClients;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class Slf4jSecurityEventListenerTest {
  private static final String SECRET_PROMPT = "put this face on my neighbour Jane Doe at 12 Elm Street";
  private static final String WRONG_KEY = "f2p_live_do_not_log_me_0123456789abcdef";

  private final Logger logger = (Logger) LoggerFactory.getLogger(Slf4jSecurityEventListener.LOGGER);
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

  @BeforeEach
  void capture() {
    captured.start();
    logger.addAppender(captured);
    logger.setLevel(Level.INFO);
  }

  @AfterEach
  void release() {
    logger.detachAppender(captured);
  }

  private static Map<String, String> keys(ILoggingEvent e) {
    Map<String, String> out = new LinkedHashMap<>();
    List<KeyValuePair> pairs = e.getKeyValuePairs() == null ? List.of() : e.getKeyValuePairs();
    pairs.forEach(p -> out.put(p.key, String.valueOf(p.value)));
    return out;
  }

  private ImageEditClient client(Slf4jSecurityEventListener listener) {
    return TestClients.client(new TestClients.Keys(), ResourceGuard.unguarded(Duration.ofSeconds(30),
        Clock.systemUTC()), new TestClients.ScriptedEngine()).addListener(listener).build();
  }

  @Test
  void everyEventIsOneLineWithItsKeysAndNeverAKeyOrAPrompt() {
    try (ImageEditClient client = client(Slf4jSecurityEventListener.create())) {
      EditResult ok = client.edit(TestClients.request(TestClients.ALICE_KEY).prompt(SECRET_PROMPT)
          .requestId("req-1").build());
      assertThat(ok).isInstanceOf(EditResult.Success.class);
      client.edit(TestClients.request(WRONG_KEY).prompt(SECRET_PROMPT).requestId("req-2").build());
      client.edit(TestClients.request(TestClients.ALICE_KEY).prompt("something forbidden " + SECRET_PROMPT)
          .requestId("req-3").build());
    }
    List<ILoggingEvent> lines = captured.list;
    assertThat(lines).hasSize(5);

    ILoggingEvent success = lines.get(0);
    assertThat(success.getLevel()).isEqualTo(Level.INFO);
    assertThat(success.getLoggerName()).isEqualTo("f2p.security");
    Map<String, String> kv = keys(success);
    assertThat(kv).containsEntry("requestId", "req-1").containsEntry("principalId", "alice")
        .containsEntry("keyId", "f2p_alice").containsEntry("address", TestClients.ADDRESS)
        .containsEntry("stage", "COMPLETE").containsEntry("outcome", "ALLOWED").containsKeys("time", "latencyMs");
    assertThat(kv.get("imageFp")).startsWith("hmac-sha256:");
    assertThat(kv.get("promptFp")).isNotBlank();
    assertThat(kv).doesNotContainKeys("reason", "detail");

    ILoggingEvent unauthenticated = lines.get(1);
    assertThat(unauthenticated.getLevel()).isEqualTo(Level.WARN);
    assertThat(keys(unauthenticated)).containsEntry("stage", "AUTHENTICATION").containsEntry("outcome", "REJECTED")
        .containsEntry("reason", "UNAUTHENTICATED").containsEntry("requestId", "req-2").doesNotContainKey("keyId");
    assertThat(keys(lines.get(3))).containsEntry("stage", "PROMPT_FILTER").containsEntry("detail", "TEST_CATEGORY");

    for (ILoggingEvent line : lines) {
      String everything = line.getFormattedMessage() + " " + keys(line);
      assertThat(everything).doesNotContain(WRONG_KEY, TestClients.ALICE_KEY, SECRET_PROMPT, "Jane Doe", "forbidden");
    }
  }

  @Test
  void criticalEventsAreErrorsAndAttributesAreKeys() {
    Slf4jSecurityEventListener listener = Slf4jSecurityEventListener.create();
    listener.onEvent(SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE).severity(Severity.CRITICAL)
        .detail("PRINCIPAL_SUSPENDED").principalId("mallory").attribute("incident.rule", "prompt-abuse")
        .attribute("stage", "clash").build());
    ILoggingEvent line = captured.list.get(0);
    assertThat(line.getLevel()).isEqualTo(Level.ERROR);
    assertThat(keys(line)).containsEntry("incident.rule", "prompt-abuse").containsEntry("attr.stage", "clash")
        .containsEntry("stage", "INCIDENT").containsEntry("detail", "PRINCIPAL_SUSPENDED");
    assertThat(line.getFormattedMessage()).isEqualTo("security INCIDENT NOTICE");
  }

  @Test
  void promptFingerprintsCanBeLeftOutAndTheProviderReadsItsSettings() {
    SecurityEvent e = SecurityEvent.builder(Stage.COMPLETE, Outcome.ALLOWED).promptFingerprint("hmac:abc").build();
    new Slf4jSecurityEventListenerProvider().create(PolicySettings.of(Map.of("prompt-fingerprints", "false")))
        .onEvent(e);
    Slf4jSecurityEventListener.create().onEvent(e);
    assertThat(captured.list).extracting(l -> keys(l).containsKey("promptFp")).containsExactly(false, true);
  }

  @Test
  void nothingIsBuiltWhenTheLevelIsOff() {
    logger.setLevel(Level.ERROR);
    Slf4jSecurityEventListener.create().onEvent(SecurityEvent.builder(Stage.COMPLETE, Outcome.ALLOWED).build());
    assertThat(captured.list).isEmpty();
    assertThat(captured.list.stream().map(ILoggingEvent::getMessage).collect(Collectors.toList())).isEmpty();
  }
}
