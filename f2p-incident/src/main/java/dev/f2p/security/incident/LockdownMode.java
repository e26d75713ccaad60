package dev.f2p.security.incident;

/** Whether the service is locked down, and for whom. */
public enum LockdownMode {
  /** Normal service. */
  OFF,
  /** Only principals holding {@link dev.f2p.core.Role#ADMIN} get through. */
  ADMINS_ONLY,
  /** Nobody gets through; refused before authentication. */
  EVERYONE
}
