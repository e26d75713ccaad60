/**
 * F2P Guard's public API, the SPIs and the pipeline that runs them. The {@code internal} package is
 * exported only to the library's own modules.
 */
module dev.f2p.core {
  requires transitive java.desktop;
  requires transitive org.slf4j;
  requires jakarta.validation;
  requires static org.jspecify;

  exports dev.f2p.core;
  exports dev.f2p.core.spi;
  exports dev.f2p.core.internal to
      dev.f2p.security, dev.f2p.pdq, dev.f2p.incident, dev.f2p.engine.djl, dev.f2p.provenance, dev.f2p.redis,
      dev.f2p.moderation, dev.f2p.engine.remote;

  // The validator reads EditRequest's constraints reflectively.
  opens dev.f2p.core to org.hibernate.validator;

  uses dev.f2p.core.spi.AuthenticatorProvider;
  uses dev.f2p.core.spi.AuthorizerProvider;
  uses dev.f2p.core.spi.RateLimiterProvider;
  uses dev.f2p.core.spi.PromptFilterProvider;
  uses dev.f2p.core.spi.ImageValidatorProvider;
  uses dev.f2p.core.spi.ResourceGuardProvider;
  uses dev.f2p.core.spi.ImageEditEngineProvider;
  uses dev.f2p.core.spi.OutputPolicyProvider;
  uses dev.f2p.core.spi.SecurityEventListenerProvider;
  uses dev.f2p.core.spi.FaceDetectorProvider;
  uses jakarta.validation.spi.ValidationProvider;
}
