package dev.f2p.security.incident;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each operator action takes effect on the very next request through the client, and is an event. */
class IncidentControlTest {
  private final TestClock clock = new TestClock();
  private final TestClients.Keys keys = new TestClients.Keys();
  private final TestClients.Recorder events = new TestClients.Recorder();
  private IncidentControl control;
  private ImageEditClient client;

  @BeforeEach
  void start() {
    control = IncidentControl.builder().clock(clock).build();
    client = TestClients.client(keys, ResourceGuard.unguarded(Duration.ofSeconds(30), clock),
            new TestClients.ScriptedEngine())
        .addAuthorizer(Authorizer.standardRoles()).addAuthorizer(control)
        .addListener(events).clock(clock).build();
  }

  @AfterEach
  void stop() {
    client.close();
  }

  private EditResult edit(String key) {
    return client.edit(TestClients.request(key).build());
  }

  private EditResult edit(String key, String address) {
    return client.edit(TestClients.request(key).clientAddress(address).build());
  }

  private static Rejection rejection(EditResult r) {
    assertThat(r).isInstanceOf(EditResult.Rejected.class);
    return ((EditResult.Rejected) r).rejection();
  }

  private SecurityEvent lastIncident() {
    List<SecurityEvent> incidents = events.events.stream().filter(e -> e.stage() == Stage.INCIDENT).toList();
    assertThat(incidents).isNotEmpty();
    SecurityEvent e = incidents.get(incidents.size() - 1);
    assertThat(e.outcome()).isEqualTo(Outcome.NOTICE);
    return e;
  }

  @Test
  void aRevokedKeyIsRefusedOnTheNextRequest() {
    assertThat(edit(TestClients.ALICE_KEY)).isInstanceOf(EditResult.Success.class);
    control.revokeKey("f2p_alice");
    Rejection r = rejection(edit(TestClients.ALICE_KEY));
    assertThat(r.reason()).isEqualTo(ReasonCode.FORBIDDEN);
    assertThat(r.detail()).isEqualTo(IncidentControl.KEY_REVOKED);
    assertThat(r.message()).isEqualTo(ReasonCode.FORBIDDEN.safeMessage());
    assertThat(edit(TestClients.BOB_KEY)).isInstanceOf(EditResult.Success.class);
    SecurityEvent e = lastIncident();
    assertThat(e.keyId()).contains("f2p_alice");
    assertThat(e.detail()).contains(IncidentControl.KEY_REVOKED);
    assertThat(e.attributes()).containsEntry("incident.until", "never");
  }

  @Test
  void aSuspendedPrincipalIsRefusedUntilItExpiresOrIsLifted() {
    control.suspendPrincipal("alice", Duration.ofHours(1));
    Rejection r = rejection(edit(TestClients.ALICE_KEY));
    assertThat(r.detail()).isEqualTo(IncidentControl.PRINCIPAL_SUSPENDED);
    assertThat(r.retryAfter()).contains(Duration.ofHours(1));
    assertThat(lastIncident().principalId()).contains("alice");

    clock.advance(Duration.ofMinutes(61));
    assertThat(edit(TestClients.ALICE_KEY)).isInstanceOf(EditResult.Success.class);

    control.suspendPrincipal("alice", Duration.ofDays(1));
    assertThat(rejection(edit(TestClients.ALICE_KEY)).detail()).isEqualTo(IncidentControl.PRINCIPAL_SUSPENDED);
    control.liftPrincipal("alice");
    assertThat(edit(TestClients.ALICE_KEY)).isInstanceOf(EditResult.Success.class);
    assertThat(lastIncident().detail()).contains("PRINCIPAL_LIFTED");
  }

  @Test
  void aBlockedAddressIsRefusedBeforeTheAuthenticatorRuns() {
    control.suspendAddress("198.51.100.9", Duration.ofMinutes(15));
    int before = keys.calls.get();
    Rejection r = rejection(edit(TestClients.ALICE_KEY, "198.51.100.9"));
    assertThat(r.reason()).isEqualTo(ReasonCode.FORBIDDEN);
    assertThat(r.detail()).isEqualTo(IncidentControl.ADDRESS_BLOCKED);
    assertThat(keys.calls.get()).as("no key hashing for a blocked caller").isEqualTo(before);
    assertThat(events.events).anyMatch(e -> e.stage() == Stage.AUTHENTICATION && e.outcome() == Outcome.REJECTED);
    assertThat(edit(TestClients.ALICE_KEY)).as("other addresses pass").isInstanceOf(EditResult.Success.class);
    assertThat(lastIncident().clientAddress()).contains("198.51.100.9");

    control.liftAddress("198.51.100.9");
    assertThat(edit(TestClients.ALICE_KEY, "198.51.100.9")).isInstanceOf(EditResult.Success.class);
  }

  @Test
  void lockdownForAdminsOnlyThenEveryoneThenOff() {
    control.lockdown(LockdownMode.ADMINS_ONLY);
    Rejection r = rejection(edit(TestClients.ALICE_KEY));
    assertThat(r.reason()).isEqualTo(ReasonCode.SERVICE_LOCKED_DOWN);
    assertThat(r.httpStatus()).isEqualTo(503);
    assertThat(edit(TestClients.ADMIN_KEY)).isInstanceOf(EditResult.Success.class);
    assertThat(lastIncident().detail()).contains("LOCKDOWN_ADMINS_ONLY");

    control.lockdown(LockdownMode.EVERYONE);
    int before = keys.calls.get();
    assertThat(rejection(edit(TestClients.ADMIN_KEY)).reason()).isEqualTo(ReasonCode.SERVICE_LOCKED_DOWN);
    assertThat(keys.calls.get()).isEqualTo(before);
    assertThat(control.lockdownMode()).isEqualTo(LockdownMode.EVERYONE);

    control.lockdown(LockdownMode.OFF);
    assertThat(edit(TestClients.ALICE_KEY)).isInstanceOf(EditResult.Success.class);
    assertThat(lastIncident().detail()).contains("LOCKDOWN_OFF");
  }

  @Test
  void adminActionsPassALockdownButNotASuspension() {
    control.lockdown(LockdownMode.ADMINS_ONLY);
    assertThat(client.authorizeAdmin(TestClients.ADMIN_KEY, TestClients.ADDRESS, "lockdown-off").isAllowed()).isTrue();
    control.suspendPrincipal("root", Duration.ofMinutes(5));
    assertThat(client.authorizeAdmin(TestClients.ADMIN_KEY, TestClients.ADDRESS, "lockdown-off").isAllowed()).isFalse();
  }

  @Test
  void operatorActionsAreWarningsAndStateIsReadable() {
    control.suspendPrincipal("bob", Duration.ofMinutes(30));
    assertThat(lastIncident().severity()).isEqualTo(Severity.WARN);
    assertThat(control.restrictedUntil(IncidentTarget.PRINCIPAL, "bob"))
        .contains(clock.instant().plus(Duration.ofMinutes(30)));
    control.revokeKey("f2p_bob");
    assertThat(control.restrictedUntil(IncidentTarget.KEY, "f2p_bob")).contains(Instant.MAX);
  }
}
