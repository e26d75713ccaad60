package dev.f2p.security.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Role;
import dev.f2p.core.spi.AuthenticatorProvider;
import dev.f2p.core.spi.AuthorizerProvider;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.RateLimiterProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersTest {
  private static final String PEPPER = "pepper-for-tests-0123456789";

  @TempDir Path dir;

  @Test
  void theProvidersAreFoundByName() {
    assertThat(ServiceLoader.load(AuthenticatorProvider.class).stream().map(p -> p.get().name())).contains("api-key");
    assertThat(ServiceLoader.load(AuthorizerProvider.class).stream().map(p -> p.get().name())).contains("roles");
    assertThat(ServiceLoader.load(RateLimiterProvider.class).stream().map(p -> p.get().name())).contains("token-bucket");
  }

  @Test
  void theApiKeyProviderAuthenticatesKeysFromTheFileWithThePepper() throws Exception {
    Path file = dir.resolve("keys.properties");
    ApiKeys keys = new ApiKeys(FileApiKeyStore.open(file), KeyHasher.hmacSha256(PEPPER.getBytes(StandardCharsets.UTF_8)),
        java.time.Clock.systemUTC());
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.empty());

    var peppered = new ApiKeyAuthenticatorProvider().create(PolicySettings.of(Map.of("file", file.toString(), "pepper", PEPPER)));
    assertThat(peppered.authenticate(issued.key(), "10.0.0.1").isAllowed()).isTrue();
    var unpeppered = new ApiKeyAuthenticatorProvider().create(PolicySettings.of(Map.of("file", file.toString())));
    assertThat(unpeppered.authenticate(issued.key(), "10.0.0.1").isAllowed()).isFalse();
  }

  @Test
  void badSettingsFailTheBuildNamingTheSettingAndNeverThePepper() {
    var provider = new ApiKeyAuthenticatorProvider();
    assertThatThrownBy(() -> provider.create(PolicySettings.of(Map.of())))
        .hasMessageContaining("file");
    assertThatThrownBy(() -> provider.create(PolicySettings.of(Map.of("file", dir.resolve("missing").toString()))))
        .hasMessageContaining("file");
    assertThatThrownBy(() -> ApiKeyAuthenticatorProvider.hasher(PolicySettings.of(Map.of("pepper", "short-secret"))))
        .hasMessageContaining("pepper").hasMessageNotContaining("short-secret");
    assertThatThrownBy(() -> ApiKeyAuthenticatorProvider.hasher(PolicySettings.of(Map.of("pepper-env", "F2P_NO_SUCH_VARIABLE_SET"))))
        .hasMessageContaining("pepper-env");
  }
}
