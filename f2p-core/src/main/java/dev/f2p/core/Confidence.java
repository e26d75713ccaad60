package dev.f2p.core;

/**
 * How sure a policy is of a refusal. Most refusals are {@link #HIGH}; a content filter says {@link #LOW}
 * when the refusal rests on one ambiguous term, so that automatic containment (which counts only
 * {@code HIGH} refusals by default) never suspends a caller over a word with a harmless sense.
 */
public enum Confidence {
  /** Unambiguous: the policy would refuse this again whatever the context. */
  HIGH,
  /** Resting on one ambiguous signal: a second opinion could overturn it. */
  LOW
}
