package dev.f2p.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySettingsGlobalTest {
  @Test
  void aProviderScopeCanReadACommonScopeByItsFullNameAndSharesTheRegistry() {
    PolicySettings all = PolicySettings.of(Map.of("f2p.redis.uri", "redis://h:1", "f2p.rate-limiter.limits.default", "3/minute"))
        .scope("f2p");
    PolicySettings limiter = all.scope("rate-limiter");
    PolicySettings common = limiter.global("f2p.redis");
    assertThat(common.asMap()).containsExactly(Map.entry("uri", "redis://h:1"));
    assertThat(common.fullName("uri")).isEqualTo("f2p.redis.uri");
    Object one = limiter.shared("x", Object.class, Object::new);
    assertThat(common.shared("x", Object.class, Object::new)).isSameAs(one);
  }
}
