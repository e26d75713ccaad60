package dev.f2p.core;

/** How urgently an operator should look at a {@link SecurityEvent}. */
public enum Severity {
  /** Routine: an allowed request or an expected refusal. */
  INFO,
  /** Worth a look: a refusal that may be an attack or a misconfiguration. */
  WARN,
  /** Act now: an attack in progress, a tampered model, a containment action. */
  CRITICAL
}
