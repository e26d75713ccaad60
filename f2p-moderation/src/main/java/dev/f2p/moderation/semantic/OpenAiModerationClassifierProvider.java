package dev.f2p.moderation.semantic;

import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.prompt.ModerationClassifier;
import dev.f2p.security.prompt.ModerationClassifierProvider;
import java.net.URI;

/**
 * Provides {@link OpenAiModerationClassifier} under the name {@code openai-moderation}. Settings (under
 * {@code f2p.prompt-filter.classifier.}, all optional): {@code endpoint} (default
 * {@value OpenAiModerationClassifier#DEFAULT_ENDPOINT}), {@code model} (default
 * {@value OpenAiModerationClassifier#DEFAULT_MODEL}), {@code api-key-env} (default
 * {@value OpenAiModerationClassifier#DEFAULT_KEY_VARIABLE}), {@code request-timeout} (default 2s),
 * {@code max-response-bytes} (default 65536). Stateless and thread-safe.
 */
public final class OpenAiModerationClassifierProvider implements ModerationClassifierProvider {
  /** The name hosts select this classifier by. */
  public static final String NAME = "openai-moderation";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("model", "api-key-env", "request-timeout", "max-response-bytes", "endpoint");
  }

  @Override
  public ModerationClassifier create(PolicySettings settings) {
    OpenAiModerationClassifier.Builder b = OpenAiModerationClassifier.builder()
        .model(settings.get("model", OpenAiModerationClassifier.DEFAULT_MODEL))
        .apiKeyEnvironmentVariable(settings.get("api-key-env", OpenAiModerationClassifier.DEFAULT_KEY_VARIABLE))
        .timeout(settings.getDuration("request-timeout", Endpoint.DEFAULT_TIMEOUT))
        .maxResponseBytes(settings.getInt("max-response-bytes", Endpoint.DEFAULT_MAX_RESPONSE_BYTES));
    settings.get("endpoint").ifPresent(e -> b.endpoint(URI.create(e)));
    return b.build();
  }
}
