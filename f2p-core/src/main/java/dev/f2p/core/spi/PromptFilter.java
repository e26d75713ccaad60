package dev.f2p.core.spi;

import dev.f2p.core.Principal;

/**
 * Is this prompt acceptable. Allowed decisions hand on the prompt the engine should see (possibly
 * cleaned); refusals use {@link dev.f2p.core.ReasonCode#PROMPT_REJECTED} with a category as detail and
 * never echo the matched text. Implementations must be thread-safe and must not log the prompt.
 */
@FunctionalInterface
public interface PromptFilter {
  /**
   * Checks a prompt.
   *
   * @param prompt the prompt as the caller sent it
   * @param principal who sent it
   * @return the prompt the engine should see, or a refusal
   */
  Decision<String> check(String prompt, Principal principal);

  /**
   * Checks a negative prompt (what the image must not show), knowing the prompt it goes with. A
   * negative prompt has its own rules: naming nudity there is the usual safe use, while excluding every
   * piece of clothing asks for a nude. The default checks it like a prompt, as before this method existed.
   *
   * @param negativePrompt the negative prompt as the caller sent it, not empty
   * @param prompt the prompt this filter already allowed, as it handed it on
   * @param principal who sent it
   * @return the negative prompt the engine should see, or a refusal
   */
  default Decision<String> checkNegative(String negativePrompt, String prompt, Principal principal) {
    return check(negativePrompt, principal);
  }

  /**
   * {@return a filter that lets every prompt through unchanged}: only for hosts that filter elsewhere, chosen
   * explicitly.
   */
  static PromptFilter acceptAll() {
    return (prompt, principal) -> Decision.allow(prompt);
  }
}
