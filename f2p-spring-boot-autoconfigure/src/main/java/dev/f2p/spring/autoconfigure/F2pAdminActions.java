package dev.f2p.spring.autoconfigure;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentControlProvider;
import dev.f2p.security.incident.IncidentTarget;
import dev.f2p.security.incident.LockdownMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incident actions of the {@code f2p} endpoint: the caller's {@code X-API-Key} and address are checked
 * by {@link ImageEditClient#authorizeAdmin} exactly as the HTTP admin endpoints do (ADMIN only; a blocked
 * address refused before its key is looked at; past a lockdown, so an admin can always end one), the action
 * runs on the client's {@link IncidentControl}, and it is audited with the same {@link Stage#INCIDENT} event
 * ({@code ADMIN_<ACTION>}, the admin, the target, whether it changed anything). Anything else is answered
 * with a refusal and changes nothing. Thread-safe.
 */
final class F2pAdminActions {
  private static final Logger LOG = LoggerFactory.getLogger(F2pAdminActions.class);
  static final Duration DEFAULT_SUSPENSION = Duration.ofHours(1);
  static final Duration MAX_SUSPENSION = Duration.ofDays(30);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,128}");
  static final Set<String> ACTIONS = Set.of("revoke-key", "suspend-principal", "lift-principal", "suspend-address",
      "lift-address", "lockdown", "end-lockdown");

  /** Who is calling: the key presented and the peer address; empty outside an HTTP request (JMX). */
  @FunctionalInterface
  interface Caller {
    Optional<Presented> current();
  }

  /** A caller's key ({@code ""} when none) and address; {@code repeated} when the key header came twice. */
  record Presented(String key, String address, boolean repeated) {}

  /** The answer: an HTTP status and a small JSON body (the action's result, or the refusal's code). */
  record Answer(int status, Map<String, Object> body) {}

  private final ImageEditClient client;
  private final F2pSharedObjects shared;
  private final Caller caller;

  F2pAdminActions(ImageEditClient client, F2pSharedObjects shared, Caller caller) {
    this.client = client;
    this.shared = shared;
    this.caller = caller;
  }

  Answer perform(String action, @Nullable String target, @Nullable String duration, @Nullable String mode) {
    // The action name is checked first and never echoed: only the fixed names reach the events.
    if (!ACTIONS.contains(action)) {
      return problem(Rejection.of(ReasonCode.INVALID_REQUEST).withHttpStatus(404), "NOT_FOUND", "No such action.");
    }
    Optional<Presented> who = caller.current();
    if (who.isEmpty()) {
      return problem(Rejection.of(ReasonCode.UNAUTHENTICATED), null, null);
    }
    if (who.get().repeated()) {
      return problem(Rejection.of(ReasonCode.INVALID_REQUEST), null, "The header X-API-Key is repeated.");
    }
    Decision<Principal> decision = client.authorizeAdmin(who.get().key(), who.get().address(), action);
    if (!(decision instanceof Decision.Allowed<Principal> admin)) {
      return problem(((Decision.Rejected<Principal>) decision).rejection(), null, null);
    }
    Optional<IncidentControl> control =
        shared.find(IncidentControlProvider.SHARED_KEY, IncidentControl.class);
    if (control.isEmpty()) {
      return problem(Rejection.of(ReasonCode.INVALID_REQUEST).withHttpStatus(501), "NOT_CONFIGURED",
          "Admin actions are not configured on this service.");
    }
    String subject;
    boolean changed;
    try {
      subject = subject(action, target, who.get().address());
      changed = run(control.get(), action, subject, duration, mode);
    } catch (IllegalArgumentException e) {
      // Our own messages only (below): fixed texts, never the caller's input.
      return problem(Rejection.of(ReasonCode.INVALID_REQUEST), null, e.getMessage());
    }
    String requestId = UUID.randomUUID().toString();
    client.events().publish(SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE)
        .severity(action.equals("lockdown") ? Severity.CRITICAL : Severity.WARN)
        .requestId(requestId).principal(admin.value())
        .clientAddress(client.addressSubject(who.get().address()).orElse(who.get().address()))
        .detail("ADMIN_" + action.toUpperCase(Locale.ROOT).replace('-', '_'))
        .attribute("admin.action", action).attribute("admin.target", subject)
        .attribute("admin.changed", Boolean.toString(changed)).attribute("admin.via", "actuator")
        .build());
    LOG.warn("admin {} ({}) performed {} on {} through the actuator; changed={}", admin.value().id(),
        admin.value().keyId(), action, subject, changed);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action);
    body.put("target", subject);
    body.put("changed", changed);
    return new Answer(200, body);
  }

  /** The target checked: an id, an address as the subject the pipeline counts, or the service. */
  private String subject(String action, @Nullable String target, String callerAddress) {
    if (action.equals("lockdown") || action.equals("end-lockdown")) {
      return "service";
    }
    if (target == null || !ID.matcher(target).matches()) {
      throw new IllegalArgumentException("'target' must be an id of 1 to 128 letters, digits or ._:@+-.");
    }
    if (action.endsWith("-address")) {
      return client.addressSubject(target)
          .orElseThrow(() -> new IllegalArgumentException("'target' must be an IP address."));
    }
    return target;
  }

  private static boolean run(IncidentControl c, String action, String subject, @Nullable String duration,
      @Nullable String mode) {
    return switch (action) {
      case "revoke-key" -> {
        boolean changed = c.restrictedUntil(IncidentTarget.KEY, subject).filter(Instant.MAX::equals).isEmpty();
        c.revokeKey(subject);
        yield changed;
      }
      case "suspend-principal" -> {
        c.suspendPrincipal(subject, duration(duration));
        yield true;
      }
      case "suspend-address" -> {
        c.suspendAddress(subject, duration(duration));
        yield true;
      }
      case "lift-principal" -> {
        boolean changed = c.restrictedUntil(IncidentTarget.PRINCIPAL, subject).isPresent();
        c.liftPrincipal(subject);
        yield changed;
      }
      case "lift-address" -> {
        boolean changed = c.restrictedUntil(IncidentTarget.ADDRESS, subject).isPresent();
        c.liftAddress(subject);
        yield changed;
      }
      case "lockdown" -> lockdown(c, switch (mode == null ? "all" : mode) {
        case "all" -> LockdownMode.EVERYONE;
        case "admins-only" -> LockdownMode.ADMINS_ONLY;
        default -> throw new IllegalArgumentException("'mode' must be all or admins-only.");
      });
      default -> lockdown(c, LockdownMode.OFF);
    };
  }

  private static boolean lockdown(IncidentControl c, LockdownMode mode) {
    boolean changed = c.lockdownMode() != mode;
    c.lockdown(mode);
    return changed;
  }

  private static Duration duration(@Nullable String value) {
    if (value == null) {
      return DEFAULT_SUSPENSION;
    }
    Duration d;
    try {
      d = PolicySettings.parseDuration("duration", value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'duration' must be a duration such as 15m, 1h or 2d.");
    }
    if (d.isZero() || d.isNegative() || d.compareTo(MAX_SUSPENSION) > 0) {
      throw new IllegalArgumentException("'duration' must be more than zero and at most 30d.");
    }
    return d;
  }

  private static Answer problem(Rejection r, @Nullable String code, @Nullable String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", r.httpStatus());
    body.put("code", code != null ? code : r.reason().name());
    body.put("detail", detail != null ? detail : r.message());
    return new Answer(r.httpStatus(), body);
  }
}
