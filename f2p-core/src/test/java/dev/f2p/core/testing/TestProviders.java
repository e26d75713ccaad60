package dev.f2p.core.testing;

import dev.f2p.testing.TestClients;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.AuthenticatorProvider;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.RateLimiterProvider;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventListenerProvider;
import java.time.Clock;

/** ServiceLoader providers registered in the test class path's META-INF/services. */
public final class TestProviders {
  private TestProviders() {}

  public static final class OneKey implements AuthenticatorProvider {
    @Override
    public String name() {
      return "one-key";
    }

    @Override
    public Authenticator create(PolicySettings settings) {
      return Fixtures.oneKey();
    }
  }

  public static final class Unlimited implements RateLimiterProvider {
    @Override
    public String name() {
      return "unlimited";
    }

    @Override
    public RateLimiter create(PolicySettings settings) {
      return RateLimiter.unlimited();
    }
  }

  /** Refuses prompts containing the word named by the {@code blocked} setting. */
  public static final class WordFilter implements PromptFilterProvider {
    @Override
    public String name() {
      return "word";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("blocked");
    }

    @Override
    public PromptFilter create(PolicySettings settings) {
      String blocked = settings.require("blocked");
      return (prompt, principal) -> prompt.contains(blocked)
          ? Decision.reject(Rejection.of(ReasonCode.PROMPT_REJECTED, "CUSTOM", "The prompt is not allowed."))
          : Decision.allow(prompt);
    }
  }

  public static final class ImageIo implements ImageValidatorProvider {
    @Override
    public String name() {
      return "imageio";
    }

    @Override
    public ImageValidator create(PolicySettings settings) {
      return Fixtures.imageIo();
    }
  }

  public static final class Unguarded implements ResourceGuardProvider {
    @Override
    public String name() {
      return "unguarded";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("timeout");
    }

    @Override
    public ResourceGuard create(PolicySettings settings) {
      return ResourceGuard.unguarded(settings.getDuration("timeout", java.time.Duration.ofSeconds(30)),
          Clock.systemUTC());
    }
  }

  public static final class Inverter implements ImageEditEngineProvider {
    @Override
    public String name() {
      return "inverter";
    }

    @Override
    public ImageEditEngine create(PolicySettings settings) {
      return new Fixtures.InvertingEngine();
    }
  }

  /** Records into a static list so a test can see what a settings-built client published. */
  public static final class Recording implements SecurityEventListenerProvider {
    public static final TestClients.Recorder LAST = new TestClients.Recorder();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public SecurityEventListener create(PolicySettings settings) {
      return LAST;
    }
  }
}
