package dev.f2p.examples.http;

import java.time.Duration;

/**
 * What the service's admin endpoints do, once {@link dev.f2p.core.ImageEditClient#authorizeAdmin} has let
 * an ADMIN through: the host wires it to its incident control, whose state the policies consult on the
 * next request. Each method returns whether it changed anything (revoking an unknown or already revoked
 * key does not); a method that cannot act throws, and the caller gets a 500 with no detail.
 * Implementations must be thread-safe.
 */
public interface AdminActions {

  /** Who a lockdown still lets in. */
  enum LockdownMode {
    /** Nobody: every edit is refused. */
    ALL,
    /** Principals holding ADMIN only. */
    ADMINS_ONLY
  }

  /** Revokes the key with this public id at once; its holder is unauthenticated from the next request. */
  boolean revokeKey(String keyId);

  /** Refuses every request of this principal for {@code duration}. */
  boolean suspendPrincipal(String principalId, Duration duration);

  /** Ends a principal's suspension. */
  boolean liftPrincipal(String principalId);

  /** Refuses every request from this address for {@code duration}. */
  boolean suspendAddress(String address, Duration duration);

  /** Ends an address's suspension. */
  boolean liftAddress(String address);

  /** Locks the service down until {@link #endLockdown()}. */
  boolean lockdown(LockdownMode mode);

  /** Ends a lockdown. */
  boolean endLockdown();

  /**
   * The lockdown in force, for {@code /health}; empty when there is none, or when these actions cannot
   * tell (the default).
   *
   * @return the mode in force
   */
  default java.util.Optional<LockdownMode> lockdownMode() {
    return java.util.Optional.empty();
  }

  /**
   * Actions for a host that wired none: every admin endpoint answers 501 {@code NOT_CONFIGURED} (after the
   * caller was authorized, so the answer tells an outsider nothing).
   */
  static AdminActions none() {
    return NotConfigured.INSTANCE;
  }

  /** The {@link #none()} actions. */
  enum NotConfigured implements AdminActions {
    INSTANCE;

    @Override
    public boolean revokeKey(String keyId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean suspendPrincipal(String principalId, Duration duration) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean liftPrincipal(String principalId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean suspendAddress(String address, Duration duration) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean liftAddress(String address) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean lockdown(LockdownMode mode) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean endLockdown() {
      throw new UnsupportedOperationException();
    }
  }
}
