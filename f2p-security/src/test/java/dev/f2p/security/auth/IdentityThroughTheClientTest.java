package dev.f2p.security.auth;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.f2p.testing.LeakCheck;
import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.PromptFilter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three providers configured by name in a client: the order holds (authentication, then role
 * limits, then quota) and each refusal reaches the caller with its own status, message and quota. The
 * image stages refuse, so nothing past the rate limit can be reached by mistake.
 */
@ExtendWith(LeakCheck.class)
class IdentityThroughTheClientTest {
  @TempDir Path dir;

  @Test
  void aTrialKeyIsAuthenticatedLimitedByItsRoleThenByItsQuota() throws Exception {
    Path file = dir.resolve("keys.properties");
    IssuedKey trial = new ApiKeys(FileApiKeyStore.open(file), KeyHasher.sha256(), Clock.systemUTC())
        .issue("trial-user", Set.of(Role.TRIAL), Optional.empty());
    try (ImageEditClient client = ImageEditClient.builder()
        .configure(Map.of(
            "f2p.authenticator.type", "api-key", "f2p.authenticator.file", file.toString(),
            "f2p.authorizers", "roles",
            "f2p.rate-limiter.type", "token-bucket", "f2p.rate-limiter.limits.TRIAL", "2/hour"))
        .promptFilter(PromptFilter.acceptAll())
        .imageValidator((bytes, principal) -> Decision.reject(ReasonCode.IMAGE_REJECTED))
        .resourceGuard((principal, request) -> Decision.reject(ReasonCode.OVERLOADED))
        .engine(new NeverEngine())
        .build()) {
      assertThat(rejection(client.edit(request("f2p_live_nosuchkeyid_" + "A".repeat(43), 512, 20))).reason())
          .isEqualTo(ReasonCode.UNAUTHENTICATED);
      assertThat(rejection(client.edit(request(trial.key(), 1024, 20))).message())
          .isEqualTo("Trial keys may request at most 512x512 and 20 steps.");
      // Within its limits the request passes identity and quota and stops at the (refusing) image stage.
      assertThat(rejection(client.edit(request(trial.key(), 512, 20))).reason()).isEqualTo(ReasonCode.IMAGE_REJECTED);
      assertThat(rejection(client.edit(request(trial.key(), 512, 20))).reason()).isEqualTo(ReasonCode.IMAGE_REJECTED);
      Rejection limited = rejection(client.edit(request(trial.key(), 512, 20)));
      assertThat(limited.httpStatus()).isEqualTo(429);
      assertThat(limited.retryAfter()).isPresent();
      assertThat(limited.quota()).get().extracting(Quota::policy, Quota::limit, Quota::window)
          .containsExactly("role-trial", 2L, Duration.ofHours(1));
    }
  }

  private static EditRequest request(String key, int side, int steps) {
    return EditRequest.builder().apiKey(key).clientAddress("192.0.2.1").image(new byte[] {1, 2, 3})
        .prompt("a portrait").size(side, side).steps(steps).build();
  }

  private static Rejection rejection(EditResult result) {
    assertThat(result).isInstanceOf(EditResult.Rejected.class);
    return ((EditResult.Rejected) result).rejection();
  }

  private static final class NeverEngine implements ImageEditEngine {
    @Override
    public GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) {
      throw new AssertionError("the engine must not be reached");
    }

    @Override
    public String modelId() {
      return "never";
    }
  }
}
