package dev.f2p.core;

/** What a {@link SecurityEvent} records. */
public enum Outcome {
  /** The stage, or the whole request, let the request through. */
  ALLOWED,
  /** The stage, or the whole request, refused it. */
  REJECTED,
  /** Something that is neither: an operator action, a containment rule firing, tampering detected. */
  NOTICE
}
