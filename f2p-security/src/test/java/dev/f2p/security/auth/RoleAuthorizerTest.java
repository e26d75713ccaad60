package dev.f2p.security.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicySettings;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoleAuthorizerTest {
  private final RoleAuthorizer authorizer = RoleAuthorizer.ofDefaults();

  private static EditRequest request(int width, int height, int steps) {
    return EditRequest.builder().apiKey("k").clientAddress("10.0.0.1").image(new byte[] {1}).prompt("p")
        .size(width, height).steps(steps).build();
  }

  private static Principal with(Role... roles) {
    return new Principal("p", Set.of(roles), "k");
  }

  @ParameterizedTest(name = "TRIAL asking {0}x{1}, {2} steps")
  @CsvSource({"1024,512,20", "512,1024,20", "512,512,21", "4096,4096,150"})
  void aTrialKeyAskingForMoreIsForbiddenWithItsLimitsInTheMessage(int w, int h, int steps) {
    Decision<Principal> d = authorizer.authorize(with(Role.TRIAL), request(w, h, steps));
    assertThat(((Decision.Rejected<Principal>) d).rejection()).isEqualTo(Rejection.of(ReasonCode.FORBIDDEN,
        "OVER_ROLE_LIMIT", "Trial keys may request at most 512x512 and 20 steps."));
  }

  @Test
  void eachRoleMayDoWhatItsPolicyAllows() {
    assertThat(authorizer.authorize(with(Role.TRIAL), request(512, 512, 20)).isAllowed()).isTrue();
    assertThat(authorizer.authorize(with(Role.USER), request(1024, 1024, 50)).isAllowed()).isTrue();
    assertThat(authorizer.authorize(with(Role.ADMIN), request(4096, 4096, 150)).isAllowed()).isTrue();
    assertThat(authorizer.authorize(with(Role.TRIAL, Role.USER), request(1024, 768, 40)).isAllowed()).isTrue();
    assertThat(authorizer.authorize(with(Role.of("GUEST")), request(64, 64, 1)).isAllowed()).isFalse();
  }

  @Test
  void onlyAdminRolesMayPerformAdminActions() {
    assertThat(authorizer.authorizeAdmin(with(Role.ADMIN), "revoke").isAllowed()).isTrue();
    assertThat(authorizer.authorizeAdmin(with(Role.USER, Role.TRIAL), "revoke").isAllowed()).isFalse();
  }

  @Test
  void rolePermissionsAreConfiguration() throws Exception {
    var configured = new RoleAuthorizerProvider().create(PolicySettings.of(Map.of(
        "TRIAL.max-width", "256", "TRIAL.max-height", "256", "TRIAL.max-steps", "10",
        "PARTNER.edit", "true", "PARTNER.max-width", "2048", "PARTNER.max-height", "2048", "PARTNER.max-steps", "80",
        "USER.edit", "false", "OPS.admin", "true")));
    Decision<Principal> trial = configured.authorize(with(Role.TRIAL), request(512, 512, 10));
    assertThat(((Decision.Rejected<Principal>) trial).rejection().message())
        .isEqualTo("Trial keys may request at most 256x256 and 10 steps.");
    assertThat(configured.authorize(with(Role.of("PARTNER")), request(2048, 2048, 80)).isAllowed()).isTrue();
    assertThat(configured.authorize(with(Role.USER), request(512, 512, 20)).isAllowed()).isFalse();
    assertThat(configured.authorizeAdmin(with(Role.of("OPS")), "lockdown").isAllowed()).isTrue();
  }
}
