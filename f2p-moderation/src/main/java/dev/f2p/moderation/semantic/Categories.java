package dev.f2p.moderation.semantic;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Our categories in severity order, and the worst of several. Stateless. */
final class Categories {
  private Categories() {}

  /** A flagged answer whose categories name none of ours. */
  static final String FLAGGED = "MODERATION_FLAGGED";

  static final List<String> SEVERITY = List.of("SEXUAL_MINORS", "NON_CONSENSUAL", "IDENTITY_DOCUMENT",
      "IMPERSONATION", "SELF_HARM", "VIOLENCE", "HATE", FLAGGED);

  /** The most severe of {@code found}; {@link #FLAGGED} when it is empty (flagged, but not for one of ours). */
  static String worst(Collection<String> found) {
    Optional<String> worst = found.stream().min((a, b) -> SEVERITY.indexOf(a) - SEVERITY.indexOf(b));
    return worst.orElse(FLAGGED);
  }
}
