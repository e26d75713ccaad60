package dev.f2p.moderation.semantic;

import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.prompt.ModerationClassifier;
import dev.f2p.security.prompt.ModerationClassifierProvider;
import java.net.URI;
import java.util.Locale;

/**
 * Provides {@link ChatGuardClassifier} under the name {@code chat-guard}. Settings (under
 * {@code f2p.prompt-filter.classifier.}):
 * <ul>
 *   <li>{@code endpoint} (required): the base URL, such as {@code http://guard:8000/v1}
 *   <li>{@code model} (required): the model name the server knows
 *   <li>{@code format} (required): {@code qwen3-guard} or {@code llama-guard-4}
 *   <li>{@code api-key-env}: the environment variable holding the bearer key; none by default
 *   <li>{@code request-timeout}: default 2s; {@code max-response-bytes}: default 65536
 *   <li>{@code allow-controversial}: {@code true} lets Qwen3Guard's Controversial through; default false
 * </ul>
 * Stateless and thread-safe.
 */
public final class ChatGuardClassifierProvider implements ModerationClassifierProvider {
  /** The name hosts select this classifier by. */
  public static final String NAME = "chat-guard";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("format", "endpoint", "model", "request-timeout", "max-response-bytes", "api-key-env", "allow-controversial");
  }

  @Override
  public ModerationClassifier create(PolicySettings settings) {
    String format = settings.require("format").toLowerCase(Locale.ROOT);
    ChatGuardClassifier.Builder b = ChatGuardClassifier.builder()
        .endpoint(URI.create(settings.require("endpoint")))
        .model(settings.require("model"))
        .format(switch (format) {
          case "qwen3-guard" -> ChatGuardClassifier.Format.QWEN3_GUARD;
          case "llama-guard-4" -> ChatGuardClassifier.Format.LLAMA_GUARD_4;
          default -> throw new IllegalArgumentException(settings.fullName("format")
              + " must be qwen3-guard or llama-guard-4: " + format);
        })
        .timeout(settings.getDuration("request-timeout", ChatGuardClassifier.DEFAULT_TIMEOUT))
        .maxResponseBytes(settings.getInt("max-response-bytes", ChatGuardClassifier.DEFAULT_MAX_RESPONSE_BYTES));
    settings.get("api-key-env").ifPresent(b::apiKeyEnvironmentVariable);
    if (settings.getBoolean("allow-controversial", false)) {
      b.allowControversial();
    }
    return b.build();
  }
}
