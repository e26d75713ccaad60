package dev.f2p.security.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Decision;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one check of incident actions both fronts use: every bad parameter a 400 with a fixed message that
 * never echoes the input, every good one applied to a real incident control with its "changed" answer.
 */
class IncidentActionTest {
  /** Canonical IPv4 only, as a stand-in for the client's own address parser in these checks. */
  private static final Function<String, Optional<String>> ADDRESSES =
      s -> s.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? Optional.of(s) : Optional.empty();

  private static Decision<IncidentAction> parse(IncidentAction.Kind kind, String target, String duration, String mode) {
    return IncidentAction.parse(kind, target, duration, mode, ADDRESSES);
  }

  private static IncidentAction allowed(Decision<IncidentAction> d) {
    assertThat(d).isInstanceOf(Decision.Allowed.class);
    return ((Decision.Allowed<IncidentAction>) d).value();
  }

  static Stream<Arguments> attacks() {
    return Stream.of(
        Arguments.of(IncidentAction.Kind.REVOKE_KEY, null, null, null),
        Arguments.of(IncidentAction.Kind.REVOKE_KEY, "", null, null),
        Arguments.of(IncidentAction.Kind.REVOKE_KEY, "../../etc/passwd", null, null),
        Arguments.of(IncidentAction.Kind.REVOKE_KEY, "key\nFORGED log line", null, null),
        Arguments.of(IncidentAction.Kind.REVOKE_KEY, "k".repeat(129), null, null),
        Arguments.of(IncidentAction.Kind.SUSPEND_PRINCIPAL, "alice", "400d", null),
        Arguments.of(IncidentAction.Kind.SUSPEND_PRINCIPAL, "alice", "0s", null),
        Arguments.of(IncidentAction.Kind.SUSPEND_PRINCIPAL, "alice", "-1h", null),
        Arguments.of(IncidentAction.Kind.SUSPEND_PRINCIPAL, "alice", "99999999999999999999d", null),
        Arguments.of(IncidentAction.Kind.SUSPEND_PRINCIPAL, "alice", "soon<script>", null),
        Arguments.of(IncidentAction.Kind.SUSPEND_ADDRESS, "not-an-address", "1h", null),
        Arguments.of(IncidentAction.Kind.LIFT_ADDRESS, "999.1.1.1x", null, null),
        Arguments.of(IncidentAction.Kind.LOCKDOWN, null, null, "sideways"),
        Arguments.of(IncidentAction.Kind.LOCKDOWN, null, null, "ALL"));
  }

  @ParameterizedTest
  @MethodSource("attacks")
  void aBadParameterIsAFixedRefusal(IncidentAction.Kind kind, String target, String duration, String mode) {
    Decision<IncidentAction> d = parse(kind, target, duration, mode);
    assertThat(d).isInstanceOf(Decision.Rejected.class);
    var r = ((Decision.Rejected<IncidentAction>) d).rejection();
    assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_REQUEST);
    assertThat(r.httpStatus()).isEqualTo(400);
    for (String input : new String[] {target, duration, mode}) {
      if (input != null && !input.isEmpty()) {
        assertThat(r.message()).doesNotContain(input);
      }
    }
  }

  @Test
  void namesAreExactAndDefaultsAreSafe() {
    assertThat(IncidentAction.Kind.named("revoke-key")).contains(IncidentAction.Kind.REVOKE_KEY);
    assertThat(IncidentAction.Kind.named("REVOKE_KEY")).isEmpty();
    assertThat(IncidentAction.Kind.named("format-disk")).isEmpty();
    assertThat(allowed(parse(IncidentAction.Kind.SUSPEND_PRINCIPAL, "alice", null, null)).duration())
        .isEqualTo(IncidentAction.DEFAULT_SUSPENSION);
    assertThat(allowed(parse(IncidentAction.Kind.SUSPEND_PRINCIPAL, "alice", "30d", null)).duration())
        .isEqualTo(IncidentAction.MAX_SUSPENSION);
    assertThat(allowed(parse(IncidentAction.Kind.LOCKDOWN, "ignored", "ignored", null)).lockdownMode())
        .isEqualTo(LockdownMode.EVERYONE);
    IncidentAction end = allowed(parse(IncidentAction.Kind.END_LOCKDOWN, null, null, "sideways"));
    assertThat(end.target()).isEqualTo("service");
    assertThat(end.lockdownMode()).isEqualTo(LockdownMode.OFF);
  }

  @Test
  void appliedActionsSayWhetherTheyChangedAnything() {
    IncidentControl control = IncidentControl.builder().build();
    IncidentAction revoke = allowed(parse(IncidentAction.Kind.REVOKE_KEY, "f2p_alice", null, null));
    assertThat(revoke.applyTo(control)).isTrue();
    assertThat(revoke.applyTo(control)).isFalse();
    IncidentAction suspend = allowed(parse(IncidentAction.Kind.SUSPEND_ADDRESS, "192.0.2.1", "15m", null));
    assertThat(suspend.duration()).isEqualTo(Duration.ofMinutes(15));
    assertThat(suspend.applyTo(control)).isTrue();
    IncidentAction lift = allowed(parse(IncidentAction.Kind.LIFT_ADDRESS, "192.0.2.1", null, null));
    assertThat(lift.applyTo(control)).isTrue();
    assertThat(lift.applyTo(control)).isFalse();
    IncidentAction lockdown = allowed(parse(IncidentAction.Kind.LOCKDOWN, null, null, "admins-only"));
    assertThat(lockdown.applyTo(control)).isTrue();
    assertThat(control.lockdownMode()).isEqualTo(LockdownMode.ADMINS_ONLY);
    assertThat(lockdown.applyTo(control)).isFalse();
    assertThat(allowed(parse(IncidentAction.Kind.END_LOCKDOWN, null, null, null)).applyTo(control)).isTrue();
    assertThat(control.lockdownMode()).isEqualTo(LockdownMode.OFF);
  }

  @Test
  void theAuditEventNamesTheAdminTheActionAndTheTarget() {
    Principal root = new Principal("root", Set.of(Role.ADMIN), "f2p_root");
    SecurityEvent e = allowed(parse(IncidentAction.Kind.LOCKDOWN, null, null, "all"))
        .audit(root, true, "r-1", "192.0.2.9").build();
    assertThat(e.stage()).isEqualTo(Stage.INCIDENT);
    assertThat(e.outcome()).isEqualTo(Outcome.NOTICE);
    assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(e.detail()).hasValue("ADMIN_LOCKDOWN");
    assertThat(e.principalId()).hasValue("root");
    assertThat(e.attributes()).containsEntry("admin.action", "lockdown").containsEntry("admin.target", "service")
        .containsEntry("admin.changed", "true");
  }
}
