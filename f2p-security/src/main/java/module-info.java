/** The default policies: API keys, rate limits, image and prompt checks, the resource guard, the security log. */
module dev.f2p.security {
  requires transitive dev.f2p.core;
  requires org.apache.commons.imaging;
  requires com.ibm.icu;
  requires transitive io.github.bucket4j.core;
  requires static org.jspecify;

  exports dev.f2p.security.auth;
  exports dev.f2p.security.guard;
  exports dev.f2p.security.image;
  exports dev.f2p.security.log;
  exports dev.f2p.security.prompt;
  exports dev.f2p.security.ratelimit;

  uses dev.f2p.core.spi.FaceDetectorProvider;
  uses dev.f2p.security.auth.LockoutStoreProvider;
  uses dev.f2p.security.prompt.ModerationClassifierProvider;

  provides dev.f2p.core.spi.AuthenticatorProvider with dev.f2p.security.auth.ApiKeyAuthenticatorProvider;
  provides dev.f2p.core.spi.AuthorizerProvider with dev.f2p.security.auth.RoleAuthorizerProvider;
  provides dev.f2p.core.spi.ImageValidatorProvider with dev.f2p.security.image.StandardImageValidatorProvider;
  provides dev.f2p.core.spi.PromptFilterProvider with dev.f2p.security.prompt.StandardPromptFilterProvider;
  provides dev.f2p.core.spi.RateLimiterProvider with dev.f2p.security.ratelimit.TokenBucketRateLimiterProvider;
  provides dev.f2p.core.spi.ResourceGuardProvider with dev.f2p.security.guard.StandardResourceGuardProvider;
  provides dev.f2p.core.spi.SecurityEventListenerProvider with dev.f2p.security.log.Slf4jSecurityEventListenerProvider;
}
