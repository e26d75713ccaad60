package dev.f2p.core;

/** Where in the pipeline a {@link SecurityEvent} was decided, in the order the pipeline runs them. */
public enum Stage {
  /** Bean-validation of the {@link EditRequest} itself. */
  REQUEST_VALIDATION,
  AUTHENTICATION,
  AUTHORIZATION,
  RATE_LIMIT,
  PROMPT_FILTER,
  IMAGE_VALIDATION,
  RESOURCE_GUARD,
  ENGINE,
  OUTPUT,
  /** The request's one final event: how it ended. */
  COMPLETE,
  /** An operator's or an automatic containment action (revoke, suspend, lockdown). */
  INCIDENT,
  /** The model's integrity: verification, tampering. */
  MODEL_INTEGRITY
}
