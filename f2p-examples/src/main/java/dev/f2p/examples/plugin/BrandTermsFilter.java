package dev.f2p.examples.plugin;

import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PromptFilter;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses prompts that name one of the integrator's protected brand terms (so nobody generates a photo
 * "wearing an ACME uniform"). Matches whole words, case- and accent-insensitively. The refusal says only
 * that the prompt is not allowed: the matched term stays out of the message, the log and the event.
 * Immutable and thread-safe.
 */
public final class BrandTermsFilter implements PromptFilter {
  /** The detail code of a refusal; the category is all the security event learns. */
  public static final String DETAIL = "BRAND_TERM";
  private static final Rejection REFUSED = Rejection.of(ReasonCode.PROMPT_REJECTED, DETAIL,
      "The prompt names a protected brand.");
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final Set<String> terms;

  /** A filter for these terms (single words; blank ones are ignored). */
  public BrandTermsFilter(List<String> terms) {
    this.terms = terms.stream().map(BrandTermsFilter::fold).filter(t -> !t.isEmpty())
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
    if (this.terms.isEmpty()) {
      throw new IllegalArgumentException("a brand-terms filter needs at least one term");
    }
  }

  @Override
  public Decision<String> check(String prompt, Principal principal) {
    for (String word : NOT_WORD.split(fold(prompt))) {
      if (terms.contains(word)) {
        return Decision.reject(REFUSED, Map.of("prompt.category", "brand"));
      }
    }
    return Decision.allow(prompt);
  }

  /** Lower case, accents removed: "Acmé" and "ACME" are the same term. */
  private static String fold(String s) {
    String decomposed = Normalizer.normalize(s.trim(), Normalizer.Form.NFKD);
    return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
  }
}
