package dev.f2p.security.incident;

/** What a revocation, suspension or block applies to. */
public enum IncidentTarget {
  /** An API key, by its public key id ({@link dev.f2p.core.Principal#keyId()}). */
  KEY,
  /** A principal, by its id, whichever key it uses. */
  PRINCIPAL,
  /** A client network address, as the request carries it. */
  ADDRESS
}
