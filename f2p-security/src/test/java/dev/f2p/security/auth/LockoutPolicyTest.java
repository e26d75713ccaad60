package dev.f2p.security.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockoutPolicyTest {
  private final LockoutPolicy policy = LockoutPolicy.builder().threshold(2).baseLockout(Duration.ofSeconds(30))
      .maxLockout(Duration.ofMinutes(5)).window(Duration.ofMinutes(1)).build();

  @Test
  void lockoutsDoubleUpToTheCapWithoutOverflow() {
    assertThat(policy.lockoutFor(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.lockoutFor(2)).isEqualTo(Duration.ofMinutes(1));
    assertThat(policy.lockoutFor(4)).isEqualTo(Duration.ofMinutes(4));
    assertThat(policy.lockoutFor(5)).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.lockoutFor(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aFailureThatRacedPastTheCheckDoesNotLengthenALockout() {
    LockoutState locked = policy.onFailure(policy.onFailure(LockoutState.NONE, 1_000, 2), 1_001, 2);
    assertThat(locked.isLockedAt(1_001)).isTrue();
    assertThat(policy.onFailure(locked, 1_002, 2)).isSameAs(locked);
  }

  @Test
  void badValuesFailWithTheValueInTheMessage() {
    assertThatThrownBy(() -> LockoutPolicy.builder().threshold(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> LockoutPolicy.builder().window(Duration.ZERO)).hasMessageContaining("window");
    assertThatThrownBy(() -> LockoutPolicy.builder().baseLockout(Duration.ofHours(2)).build())
        .hasMessageContaining("PT2H");
  }
}
