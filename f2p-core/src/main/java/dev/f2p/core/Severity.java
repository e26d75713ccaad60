package dev.f2p.core;

/** How urgently an operator should look at a {@link SecurityEvent}. */
public enum Severity {
  INFO,
  WARN,
  CRITICAL
}
