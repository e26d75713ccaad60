package dev.f2p.security.incident;

import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One administrative incident action (revoke a key, suspend or lift a principal or an address, lock the
 * service down or end a lockdown), checked from what an operator's request carries: every front that takes
 * incident actions (the Spring Boot actuator endpoint, the example service's {@code /admin} endpoints) parses
 * them here, so they accept and refuse exactly the same inputs. A bad input is a {@link Decision.Rejected}
 * with a fixed, safe message ({@link ReasonCode#INVALID_REQUEST}, 400) that never echoes the input.
 *
 * <p>The action is authorized elsewhere ({@code ImageEditClient.authorizeAdmin}); this class only checks
 * its parameters, applies it to an {@link IncidentControl} ({@link #applyTo}) and describes its audit event
 * ({@link #audit}). Immutable and thread-safe.
 */
public final class IncidentAction {
  /** The suspension when none is given: one hour. */
  public static final Duration DEFAULT_SUSPENSION = Duration.ofHours(1);
  /** The longest suspension an action may set: 30 days (a longer one is a revocation). */
  public static final Duration MAX_SUSPENSION = Duration.ofDays(30);
  /** The target of a lockdown and of ending one. */
  private static final String SERVICE = "service";
  /** Ids as the key store and principals spell them: bounded, and nothing that could forge a log line. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,128}");

  /** The actions, each with the name the fronts use in their paths. */
  public enum Kind {
    /** Revokes a key, by its public key id, for good. */
    REVOKE_KEY("revoke-key"),
    /** Suspends a principal for a while. */
    SUSPEND_PRINCIPAL("suspend-principal"),
    /** Ends a principal's suspension. */
    LIFT_PRINCIPAL("lift-principal"),
    /** Suspends (blocks) a client address for a while. */
    SUSPEND_ADDRESS("suspend-address"),
    /** Ends an address's suspension. */
    LIFT_ADDRESS("lift-address"),
    /** Locks the service down: everyone, or everyone but admins. */
    LOCKDOWN("lockdown"),
    /** Ends a lockdown. */
    END_LOCKDOWN("end-lockdown");

    private final String actionName;

    Kind(String actionName) {
      this.actionName = actionName;
    }

    /**
     * @return the action's name, such as {@code revoke-key}
     */
    public String actionName() {
      return actionName;
    }

    /**
     * @param name an action's name as a caller sent it
     * @return the action of that exact name; empty for any other text
     */
    public static Optional<Kind> named(String name) {
      for (Kind k : values()) {
        if (k.actionName.equals(name)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  private final Kind kind;
  private final String target;
  private final Duration duration;
  private final LockdownMode mode;

  private IncidentAction(Kind kind, String target, Duration duration, LockdownMode mode) {
    this.kind = kind;
    this.target = target;
    this.duration = duration;
    this.mode = mode;
  }

  /**
   * Checks an action's parameters. The target is required for the key, principal and address actions
   * (an id of 1 to 128 letters, digits or {@code ._:@+-}; for the address actions an IP address, kept as the
   * subject the pipeline counts it under, so a block applies to exactly what the limits see); the duration
   * (suspensions only; default {@link #DEFAULT_SUSPENSION}) is more than zero and at most
   * {@link #MAX_SUSPENSION}, written as the settings write durations ({@code 15m}, {@code 1h}, {@code 2d});
   * the mode (lockdown only; default {@code all}) is {@code all} or {@code admins-only}. Parameters an action
   * does not use are ignored.
   *
   * @param kind the action
   * @param target the key id, principal id or address; null when none was given
   * @param duration the suspension's length; null for the default
   * @param mode the lockdown's mode; null for the default
   * @param addressSubject the subject an address is counted under, empty when the text is no IP address
   *     ({@code ImageEditClient::addressSubject})
   * @return the action, or its refusal (400 {@code INVALID_REQUEST} with a fixed message)
   */
  public static Decision<IncidentAction> parse(Kind kind, @Nullable String target, @Nullable String duration,
      @Nullable String mode, Function<String, Optional<String>> addressSubject) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(addressSubject, "addressSubject");
    switch (kind) {
      case LOCKDOWN -> {
        LockdownMode m = switch (mode == null ? "all" : mode) {
          case "all" -> LockdownMode.EVERYONE;
          case "admins-only" -> LockdownMode.ADMINS_ONLY;
          default -> null;
        };
        return m == null ? invalid("The mode must be all or admins-only.")
            : Decision.allow(new IncidentAction(kind, SERVICE, Duration.ZERO, m));
      }
      case END_LOCKDOWN -> {
        return Decision.allow(new IncidentAction(kind, SERVICE, Duration.ZERO, LockdownMode.OFF));
      }
      default -> {
        // Checked below.
      }
    }
    if (target == null || !ID.matcher(target).matches()) {
      return invalid("The target must be an id of 1 to 128 letters, digits or ._:@+-.");
    }
    String subject = target;
    if (kind == Kind.SUSPEND_ADDRESS || kind == Kind.LIFT_ADDRESS) {
      Optional<String> s = addressSubject.apply(target);
      if (s.isEmpty()) {
        return invalid("The target must be an IP address.");
      }
      subject = s.get();
    }
    Duration d = Duration.ZERO;
    if (kind == Kind.SUSPEND_PRINCIPAL || kind == Kind.SUSPEND_ADDRESS) {
      Optional<Duration> parsed = suspension(duration);
      if (parsed.isEmpty()) {
        return invalid("The duration must be more than zero and at most 30d, such as 15m, 1h or 2d.");
      }
      d = parsed.get();
    }
    return Decision.allow(new IncidentAction(kind, subject, d, LockdownMode.OFF));
  }

  private static Optional<Duration> suspension(@Nullable String value) {
    if (value == null) {
      return Optional.of(DEFAULT_SUSPENSION);
    }
    if (value.length() > 32) {
      return Optional.empty(); // no duration is that long to write: never parse what a caller made huge
    }
    Duration d;
    try {
      d = PolicySettings.parseDuration("duration", value);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // its message names the input: the caller gets the fixed one
    }
    return d.isZero() || d.isNegative() || d.compareTo(MAX_SUSPENSION) > 0 ? Optional.empty() : Optional.of(d);
  }

  private static Decision<IncidentAction> invalid(String message) {
    return Decision.reject(Rejection.of(ReasonCode.INVALID_REQUEST, ReasonCode.INVALID_REQUEST.name(), message));
  }

  /**
   * @return the action
   */
  public Kind kind() {
    return kind;
  }

  /**
   * @return the key id, the principal id, the address's subject, or {@code service} for the lockdown actions
   */
  public String target() {
    return target;
  }

  /**
   * @return the suspension's length; zero for the actions that are not suspensions
   */
  public Duration duration() {
    return duration;
  }

  /**
   * @return the lockdown mode {@link Kind#LOCKDOWN} sets ({@link LockdownMode#OFF} for every other action)
   */
  public LockdownMode lockdownMode() {
    return mode;
  }

  /**
   * Applies the action; it takes effect on the next request (and is journaled and published by the control).
   *
   * @param control the incident control to change
   * @return whether anything changed: revoking a revoked key, lifting what is not suspended or setting the
   *     lockdown already in force does not; a suspension always does (it sets a new end)
   */
  public boolean applyTo(IncidentControl control) {
    Objects.requireNonNull(control, "control");
    return switch (kind) {
      case REVOKE_KEY -> {
        boolean changed = control.restrictedUntil(IncidentTarget.KEY, target).filter(Instant.MAX::equals).isEmpty();
        control.revokeKey(target);
        yield changed;
      }
      case SUSPEND_PRINCIPAL -> {
        control.suspendPrincipal(target, duration);
        yield true;
      }
      case SUSPEND_ADDRESS -> {
        control.suspendAddress(target, duration);
        yield true;
      }
      case LIFT_PRINCIPAL -> {
        boolean changed = control.restrictedUntil(IncidentTarget.PRINCIPAL, target).isPresent();
        control.liftPrincipal(target);
        yield changed;
      }
      case LIFT_ADDRESS -> {
        boolean changed = control.restrictedUntil(IncidentTarget.ADDRESS, target).isPresent();
        control.liftAddress(target);
        yield changed;
      }
      case LOCKDOWN, END_LOCKDOWN -> {
        boolean changed = control.lockdownMode() != mode;
        control.lockdown(mode);
        yield changed;
      }
    };
  }

  /**
   * The audit event of this action once performed: {@link Stage#INCIDENT}, {@link Outcome#NOTICE}, CRITICAL for
   * a lockdown and WARN otherwise, detail {@code ADMIN_<ACTION>} ({@code ADMIN_REVOKE_KEY}), attributes
   * {@code admin.action}, {@code admin.target} and {@code admin.changed}. A front adds its own attributes
   * before it builds and publishes it.
   *
   * @param admin who performed it
   * @param changed what {@link #applyTo} returned
   * @param requestId the request's id
   * @param clientAddress the admin's address, as the subject the pipeline counts
   * @return the event's builder
   */
  public SecurityEvent.Builder audit(Principal admin, boolean changed, String requestId, String clientAddress) {
    return SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE)
        .severity(kind == Kind.LOCKDOWN ? Severity.CRITICAL : Severity.WARN)
        .requestId(requestId).principal(admin).clientAddress(clientAddress)
        .detail("ADMIN_" + kind.name())
        .attribute("admin.action", kind.actionName()).attribute("admin.target", target)
        .attribute("admin.changed", Boolean.toString(changed));
  }

  @Override
  public String toString() {
    return kind.actionName() + " " + target;
  }
}
