package dev.f2p.security.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.AuthenticatorProvider;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.testing.TestClients;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentControlProviderTest {
  @TempDir Path dir;

  /** Registered in this module's test META-INF/services as {@code test-keys}. */
  public static final class TestKeysProvider implements AuthenticatorProvider {
    @Override
    public String name() {
      return "test-keys";
    }

    @Override
    public Authenticator create(PolicySettings settings) {
      return new TestClients.Keys();
    }
  }

  private ImageEditClient client(Map<String, String> settings, TestClients.Recorder events) {
    return ImageEditClient.builder().configure(settings)
        .rateLimiter(dev.f2p.core.spi.RateLimiter.unlimited())
        .promptFilter((prompt, p) -> prompt.contains("forbidden")
            ? dev.f2p.core.spi.Decision.reject(ReasonCode.PROMPT_REJECTED) : dev.f2p.core.spi.Decision.allow(prompt))
        .imageValidator((b, p) -> dev.f2p.core.spi.Decision.allow(new dev.f2p.core.spi.ValidatedImage(
            new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "PNG")))
        .resourceGuard(ResourceGuard.unguarded(Duration.ofSeconds(30), Clock.systemUTC()))
        .engine(new TestClients.ScriptedEngine())
        .addListener(events)
        .build();
  }

  @Test
  void oneSettingArmsBlocksAuthorizationAndContainmentAndTheStateSurvivesARestart() {
    Map<String, String> settings = Map.of(
        "f2p.authenticator.type", "test-keys", "f2p.authorizers", "incident",
        "f2p.authorizer.incident.file", dir.resolve("state").toString(),
        "f2p.authorizer.incident.rule.abuse", "PROMPT_REJECTED by principal 2/1m -> suspend 1h");
    TestClients.Recorder events = new TestClients.Recorder();
    try (ImageEditClient client = client(settings, events)) {
      assertThat(client.edit(TestClients.request(TestClients.ALICE_KEY).build())).isInstanceOf(EditResult.Success.class);
      client.edit(TestClients.request(TestClients.ALICE_KEY).prompt("forbidden").build());
      client.edit(TestClients.request(TestClients.ALICE_KEY).prompt("forbidden").build());
      // Registered once, as an authorizer: the client told it the events, its rule fired, it enforces it.
      EditResult suspended = client.edit(TestClients.request(TestClients.ALICE_KEY).build());
      assertThat(((EditResult.Rejected) suspended).rejection().detail()).isEqualTo(IncidentControl.PRINCIPAL_SUSPENDED);
      assertThat(events.events).anyMatch(e -> e.stage() == Stage.INCIDENT);
    }
    try (ImageEditClient restarted = client(settings, events)) {
      EditResult still = restarted.edit(TestClients.request(TestClients.ALICE_KEY).build());
      assertThat(((EditResult.Rejected) still).rejection().detail()).isEqualTo(IncidentControl.PRINCIPAL_SUSPENDED);
    }
    IncidentControl operator = IncidentControlProvider.build(
        PolicySettings.of(Map.of("file", dir.resolve("state").toString())));
    operator.suspendAddress(TestClients.ADDRESS, Duration.ofHours(1));
    operator.close();
    try (ImageEditClient restarted = client(settings, events)) {
      EditResult blocked = restarted.edit(TestClients.request(TestClients.BOB_KEY).build());
      assertThat(((EditResult.Rejected) blocked).rejection().detail()).isEqualTo(IncidentControl.ADDRESS_BLOCKED);
      assertThat(events.events).anyMatch(e -> e.stage() == Stage.AUTHENTICATION && e.outcome() == Outcome.REJECTED
          && e.reason().equals(java.util.Optional.of(ReasonCode.FORBIDDEN)));
    }
  }

  @Test
  void theBuiltControlIsTheAuthorizerAndIsRegisteredForTheHost() {
    PolicySettings root = PolicySettings.of(Map.of("f2p.authorizer.incident.default-rules", "false"));
    Object built = new IncidentControlProvider().create(root.scope("f2p.authorizer.incident"));
    assertThat(built).isInstanceOf(IncidentControl.class);
    assertThat(root.findShared(IncidentControlProvider.SHARED_KEY, IncidentControl.class)).containsSame(
        (IncidentControl) built);
    ((IncidentControl) built).close();
  }

  @Test
  void aSecondControlForOneClientIsRefused() {
    PolicySettings root = PolicySettings.of(Map.of("f2p.authorizer.incident.max-tracked", "5"));
    try (IncidentControl first =
        (IncidentControl) new IncidentControlProvider().create(root.scope("f2p.authorizer.incident"))) {
      assertThatThrownBy(() -> new IncidentControlProvider().create(root.scope("f2p.authorizer.incident")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("configured twice")
          .hasMessageContaining("f2p.authorizer.incident.");
      assertThat(first.lockdownMode()).isEqualTo(LockdownMode.OFF);
    }
  }

  @Test
  void badSettingsFailNamingTheSetting() {
    assertThatThrownBy(() -> IncidentControlProvider.build(PolicySettings.of(Map.of("rule.x", "nonsense"))))
        .hasMessageContaining("rule.x");
  }
}
