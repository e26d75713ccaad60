package dev.f2p.core;

/** Where in the pipeline a {@link SecurityEvent} was decided, in the order the pipeline runs them. */
public enum Stage {
  /** Bean-validation of the {@link EditRequest} itself. */
  REQUEST_VALIDATION,
  /** The API key checked and turned into a {@link Principal}. */
  AUTHENTICATION,
  /** Whether the principal's role may edit, and at this size and step count. */
  AUTHORIZATION,
  /** The caller's and the address's request rate and quota. */
  RATE_LIMIT,
  /** The prompt and negative prompt read for disallowed content. */
  PROMPT_FILTER,
  /** The uploaded image decoded and checked (format, size, faces, known hashes). */
  IMAGE_VALIDATION,
  /** Admission to a device slot: capacity, queue, memory, circuit breaker. */
  RESOURCE_GUARD,
  /** The model's inference itself. */
  ENGINE,
  /** The generated image checked, marked and encoded before it is released. */
  OUTPUT,
  /** The request's one final event: how it ended. */
  COMPLETE,
  /** An operator's or an automatic containment action (revoke, suspend, lockdown). */
  INCIDENT,
  /** The model's integrity: verification, tampering. */
  MODEL_INTEGRITY
}
