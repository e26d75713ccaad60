package dev.f2p.security.prompt;

import dev.f2p.core.Principal;
import java.util.Optional;

/**
 * An external check a {@link StandardPromptFilter} runs after its block lists pass a prompt: an ML model,
 * a remote moderation service. It gets the cleaned prompt, runs on the executor given to the filter's
 * builder, and must answer within the filter's timeout; a timeout, an exception or a {@code null} answer
 * refuses the prompt with detail {@code MODERATION_UNAVAILABLE} (fail closed).
 *
 * <p>Implementations must be thread-safe and must not log the prompt.
 */
@FunctionalInterface
public interface ModerationClassifier {
  /**
   * The category the prompt falls in, as a detail code such as {@code HATE} ({@code [A-Z][A-Z0-9_]*});
   * empty when the prompt is acceptable. A malformed category refuses as {@code MODERATION_FLAGGED}.
   *
   * @param prompt the cleaned prompt (NFKC, invisible and control characters gone, spacing collapsed),
   *     within the filter's length limits; never log it
   * @param principal who asked, for per-caller policies
   * @return the category, or empty to let the prompt through
   * @throws Exception when the check cannot answer (a service down, a model error): the prompt is then
   *     refused with {@code MODERATION_UNAVAILABLE}, and the exception's type is logged, never its message
   */
  Optional<String> classify(String prompt, Principal principal) throws Exception;
}
