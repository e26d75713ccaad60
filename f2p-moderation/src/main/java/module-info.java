/**
 * Optional content moderation: the in-process NSFW classifier (output policy and image validator) and the
 * semantic second opinions of the prompt filter. {@code dev.f2p.moderation.internal} is not exported.
 */
module dev.f2p.moderation {
  requires transitive dev.f2p.core;
  requires transitive dev.f2p.security;
  requires ai.djl.api;
  requires transitive java.net.http; // the service builders take a java.net.http.HttpClient
  requires static org.jspecify;

  exports dev.f2p.moderation;
  exports dev.f2p.moderation.semantic;

  provides dev.f2p.core.spi.ImageValidatorProvider with dev.f2p.moderation.NsfwImageValidatorProvider;
  provides dev.f2p.core.spi.OutputPolicyProvider with dev.f2p.moderation.NsfwOutputPolicyProvider;
  provides dev.f2p.security.prompt.ModerationClassifierProvider with
      dev.f2p.moderation.semantic.ChatGuardClassifierProvider,
      dev.f2p.moderation.semantic.OpenAiModerationClassifierProvider;
}
