package dev.f2p.examples.http;

import dev.f2p.security.incident.IncidentAction;
import dev.f2p.security.incident.LockdownMode;
import java.util.Optional;

/**
 * What the service's admin endpoints do, once {@link dev.f2p.core.ImageEditClient#authorizeAdmin} has let
 * an ADMIN through and {@link IncidentAction} has checked the action: the host wires it to its incident
 * control ({@link IncidentAdminActions}), whose state the policies consult on the next request. {@link #perform} returns
 * whether it changed anything (revoking an unknown or already revoked key does not); one that cannot act
 * throws, and the caller gets a 500 with no detail. Implementations must be thread-safe.
 */
public interface AdminActions {

  /**
   * Performs a checked action.
   *
   * @param action the action, its target and parameters
   * @return whether it changed anything
   * @throws UnsupportedOperationException when these actions are {@link #none()}
   */
  boolean perform(IncidentAction action);

  /**
   * The lockdown in force, for {@code /health}; empty when there is none, or when these actions cannot
   * tell (the default).
   *
   * @return the mode in force, never {@link LockdownMode#OFF}
   */
  default Optional<LockdownMode> lockdownMode() {
    return Optional.empty();
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
    public boolean perform(IncidentAction action) {
      throw new UnsupportedOperationException();
    }
  }
}
