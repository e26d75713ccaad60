package dev.f2p.examples.http;

import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The admin endpoints over the library's {@link IncidentControl}: every action takes effect on the next
 * request and is published by the incident control as a security event. Thread-safe.
 */
public final class IncidentAdminActions implements AdminActions {
  private final IncidentControl control;

  /**
   * @param control the incident control the actions change
   */
  public IncidentAdminActions(IncidentControl control) {
    this.control = Objects.requireNonNull(control, "control");
  }

  @Override
  public boolean revokeKey(String keyId) {
    boolean changed = control.restrictedUntil(IncidentTarget.KEY, keyId).filter(Instant.MAX::equals).isEmpty();
    control.revokeKey(keyId);
    return changed;
  }

  @Override
  public boolean suspendPrincipal(String principalId, Duration duration) {
    control.suspendPrincipal(principalId, duration);
    return true;
  }

  @Override
  public boolean liftPrincipal(String principalId) {
    boolean changed = control.restrictedUntil(IncidentTarget.PRINCIPAL, principalId).isPresent();
    control.liftPrincipal(principalId);
    return changed;
  }

  @Override
  public boolean suspendAddress(String address, Duration duration) {
    control.suspendAddress(address, duration);
    return true;
  }

  @Override
  public boolean liftAddress(String address) {
    boolean changed = control.restrictedUntil(IncidentTarget.ADDRESS, address).isPresent();
    control.liftAddress(address);
    return changed;
  }

  @Override
  public boolean lockdown(AdminActions.LockdownMode mode) {
    // AdminActions has its own LockdownMode: name the library's in full.
    dev.f2p.security.incident.LockdownMode target = mode == AdminActions.LockdownMode.ALL
        ? dev.f2p.security.incident.LockdownMode.EVERYONE : dev.f2p.security.incident.LockdownMode.ADMINS_ONLY;
    boolean changed = control.lockdownMode() != target;
    control.lockdown(target);
    return changed;
  }

  @Override
  public java.util.Optional<AdminActions.LockdownMode> lockdownMode() {
    return switch (control.lockdownMode()) {
      case OFF -> java.util.Optional.empty();
      case ADMINS_ONLY -> java.util.Optional.of(AdminActions.LockdownMode.ADMINS_ONLY);
      case EVERYONE -> java.util.Optional.of(AdminActions.LockdownMode.ALL);
    };
  }

  @Override
  public boolean endLockdown() {
    boolean changed = control.lockdownMode() != dev.f2p.security.incident.LockdownMode.OFF;
    control.lockdown(dev.f2p.security.incident.LockdownMode.OFF);
    return changed;
  }
}
