package dev.f2p.core.spi;

import dev.f2p.core.Principal;

/**
 * Is this prompt acceptable. Allowed decisions hand on the prompt the engine should see (possibly
 * cleaned); refusals use {@link dev.f2p.core.ReasonCode#PROMPT_REJECTED} with a category as detail and
 * never echo the matched text. Implementations must be thread-safe and must not log the prompt.
 */
@FunctionalInterface
public interface PromptFilter {
  Decision<String> check(String prompt, Principal principal);

  /** Lets every prompt through unchanged: only for hosts that filter elsewhere, chosen explicitly. */
  static PromptFilter acceptAll() {
    return (prompt, principal) -> Decision.allow(prompt);
  }
}
