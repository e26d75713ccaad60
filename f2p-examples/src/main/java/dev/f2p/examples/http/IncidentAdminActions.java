package dev.f2p.examples.http;

import dev.f2p.security.incident.IncidentAction;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.LockdownMode;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin endpoints over the library's {@link IncidentControl} ({@link IncidentAction#applyTo}, as the
 * Spring Boot starter's actuator endpoint applies them): every action takes effect on the next request and
 * is published by the incident control as a security event. Thread-safe.
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
  public boolean perform(IncidentAction action) {
    return action.applyTo(control);
  }

  @Override
  public Optional<LockdownMode> lockdownMode() {
    LockdownMode mode = control.lockdownMode();
    return mode == LockdownMode.OFF ? Optional.empty() : Optional.of(mode);
  }
}
