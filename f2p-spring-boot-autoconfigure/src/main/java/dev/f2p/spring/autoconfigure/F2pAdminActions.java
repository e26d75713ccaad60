package dev.f2p.spring.autoconfigure;

import dev.f2p.core.HttpFields;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Decision;
import dev.f2p.security.incident.IncidentAction;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentControlProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incident actions of the {@code f2p} endpoint: the caller's {@code X-API-Key} and address are checked
 * by {@link ImageEditClient#authorizeAdmin} exactly as the HTTP admin endpoints do (ADMIN only; a blocked
 * address refused before its key is looked at; past a lockdown, so an admin can always end one), the action
 * runs on the client's {@link IncidentControl}, and it is audited with the same {@link Stage#INCIDENT} event
 * ({@code ADMIN_<ACTION>}, the admin, the target, whether it changed anything). The action's parameters are
 * checked by {@link IncidentAction}, as the example service's admin endpoints check theirs. Anything else is
 * answered with a refusal and changes nothing; a 429 or 503 refusal carries {@code Retry-After} as
 * {@code POST /generate}'s do. Thread-safe.
 */
final class F2pAdminActions {
  private static final Logger LOG = LoggerFactory.getLogger(F2pAdminActions.class);

  /** Who is calling: the key presented and the peer address; empty outside an HTTP request (JMX). */
  @FunctionalInterface
  interface Caller {
    Optional<Presented> current();

    /**
     * Sets a field on the answer being written, where the transport has fields (HTTP; JMX has none): how a
     * refusal's {@code Retry-After} reaches the caller, since the endpoint's own answer carries a body only.
     */
    default void answerField(String name, String value) {}
  }

  /** A caller's key ({@code ""} when none) and address; {@code repeated} when the key header came twice. */
  record Presented(String key, String address, boolean repeated) {}

  /**
   * The answer: an HTTP status, a small JSON body (the action's result, or the refusal's code) and the
   * {@code Retry-After} seconds of a refusal that gives one (every 429 and 503, as {@code POST /generate}
   * gives them); 0 for none.
   */
  record Answer(int status, Map<String, Object> body, long retryAfterSeconds) {}

  private final ImageEditClient client;
  private final F2pSharedObjects shared;
  private final Caller caller;

  F2pAdminActions(ImageEditClient client, F2pSharedObjects shared, Caller caller) {
    this.client = client;
    this.shared = shared;
    this.caller = caller;
  }

  Answer perform(String action, @Nullable String target, @Nullable String duration, @Nullable String mode) {
    Answer a = decide(action, target, duration, mode);
    if (a.retryAfterSeconds() > 0) {
      caller.answerField("Retry-After", Long.toString(a.retryAfterSeconds()));
    }
    return a;
  }

  private Answer decide(String action, @Nullable String target, @Nullable String duration, @Nullable String mode) {
    // The action name is checked first and never echoed: only the fixed names reach the events.
    Optional<IncidentAction.Kind> kind = IncidentAction.Kind.named(action);
    if (kind.isEmpty()) {
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
    Decision<IncidentAction> parsed = IncidentAction.parse(kind.get(), target, duration, mode, client::addressSubject);
    if (!(parsed instanceof Decision.Allowed<IncidentAction> checked)) {
      return problem(((Decision.Rejected<IncidentAction>) parsed).rejection(), null, null);
    }
    IncidentAction act = checked.value();
    boolean changed = act.applyTo(control.get());
    String address = who.get().address();
    client.events().publish(act.audit(admin.value(), changed, HttpAnswers.newRequestId(),
            client.addressSubject(address).orElse(address))
        .attribute("admin.via", "actuator").build());
    LOG.warn("admin {} ({}) performed {} on {} through the actuator; changed={}", admin.value().id(),
        admin.value().keyId(), action, act.target(), changed);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action);
    body.put("target", act.target());
    body.put("changed", changed);
    return new Answer(200, body, 0);
  }

  private static Answer problem(Rejection r, @Nullable String code, @Nullable String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", r.httpStatus());
    body.put("code", code != null ? code : r.reason().name());
    body.put("detail", detail != null ? detail : r.message());
    return new Answer(r.httpStatus(), body, HttpFields.retryAfterSeconds(HttpFields.retryAfter(r)));
  }
}
