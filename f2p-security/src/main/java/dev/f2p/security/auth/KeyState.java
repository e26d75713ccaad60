package dev.f2p.security.auth;

/** Whether a key may still authenticate (subject to its expiry). */
public enum KeyState {
  /** Valid until it expires, if it has an expiry. */
  ACTIVE,
  /** Refused from the next request on. */
  REVOKED
}
