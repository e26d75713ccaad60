package dev.f2p.examples.http;

import dev.f2p.core.HttpFields;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Decision;
import dev.f2p.security.incident.IncidentAction;
import dev.f2p.security.incident.LockdownMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints: each authorized through {@link ImageEditClient#authorizeAdmin} (ADMIN only, the
 * decision published by the pipeline), performed through {@link AdminActions}, and audited as a
 * {@link Stage#INCIDENT} event naming the admin, the action and its target (ids, never keys).
 *
 * <pre>
 * POST   /admin/keys/{keyId}/revoke
 * POST   /admin/principals/{id}/suspend?for=1h     POST /admin/principals/{id}/lift
 * POST   /admin/addresses/{addr}/suspend?for=15m   POST /admin/addresses/{addr}/lift
 * POST   /admin/lockdown?mode=all|admins-only      DELETE /admin/lockdown
 * </pre>
 *
 * <p>Usable by ADMIN keys in every lockdown mode (the client authenticates admin actions past a lockdown,
 * so {@code DELETE /admin/lockdown} always works); an address is blocked as the subject the pipeline counts
 * ({@link ImageEditClient#addressSubject}).
 */
public final class AdminEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoints.class);
  /** What a path segment may hold before {@link IncidentAction} checks it; bounded, so nothing long is decoded. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._:@+%-]{1,384}");
  private static final int MAX_QUERY = 256;

  private final ImageEditClient client;
  private final AdminActions actions;

  /**
   * @param client the client that authorizes every admin request and publishes its audit event
   * @param actions what the endpoints do
   */
  public AdminEndpoints(ImageEditClient client, AdminActions actions) {
    this.client = client;
    this.actions = actions;
  }

  /**
   * @return the lockdown the actions report; empty when none, or when they cannot tell or fail to
   */
  public java.util.Optional<LockdownMode> lockdownMode() {
    try {
      return actions.lockdownMode();
    } catch (RuntimeException e) {
      LOG.warn("reading the lockdown mode failed", e);
      return java.util.Optional.empty();
    }
  }

  /**
   * {@code GET /health}: UP (200) only when the engine is available and no lockdown is in force; a lockdown
   * answers 503 {@code LOCKED_DOWN} with its mode (the admin endpoints stay reachable on the instance to
   * lift it), a front that is shutting down 503 {@code DRAINING}; with a remote engine, {@code devices} lists
   * each endpoint's health. Open to anyone: it names no caller.
   *
   * @param draining whether the front is shutting down
   * @return the answer, never a problem
   */
  public Answer health(boolean draining) {
    boolean available = !draining && client.isEngineAvailable();
    Optional<LockdownMode> lockdown = lockdownMode();
    String status = draining ? "DRAINING" : !available ? "DEGRADED" : lockdown.isPresent() ? "LOCKED_DOWN" : "UP";
    String mode = lockdown.map(m -> m == LockdownMode.EVERYONE ? "all" : "admins-only").orElse("off");
    String json = "{\"status\":" + HttpFields.jsonString(status) + ",\"model\":{\"id\":"
        + HttpFields.jsonString(client.modelId()) + ",\"available\":" + available + "},\"lockdown\":{\"active\":"
        + lockdown.isPresent() + ",\"mode\":" + HttpFields.jsonString(mode) + "}"
        + devices(client.engineDevices()) + "}";
    return new Answer(status.equals("UP") ? 200 : 503, json, "", 0);
  }

  /**
   * {@code ,"devices":[...]}: the engine's devices (a remote engine's endpoints), or nothing when it declares
   * none. Up, in flight, capacity, ejections and last latency; the names are the configured endpoints.
   */
  private static String devices(java.util.List<dev.f2p.core.spi.DeviceStatus> devices) {
    if (devices.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(",\"devices\":[");
    for (dev.f2p.core.spi.DeviceStatus d : devices) {
      b.append(d.index() == 0 ? "" : ",").append("{\"name\":").append(HttpFields.jsonString(d.name()))
          .append(",\"up\":").append(d.up()).append(",\"inFlight\":").append(d.inFlight())
          .append(",\"capacity\":").append(d.capacity()).append(",\"ejections\":").append(d.ejections())
          .append(",\"lastLatencyMs\":").append(d.lastLatency().toMillis()).append('}');
    }
    return b.append(']').toString();
  }

  /**
   * {@code GET /metrics} is for ADMIN keys only ({@link ImageEditClient#authorizeAdmin}, action
   * {@code metrics}).
   *
   * @param key the {@code X-API-Key} value; empty when none was sent
   * @param address the caller's address as the front resolved it
   * @param requestId the request id
   * @return the refusal's answer; empty when the caller may read the metrics
   */
  public Optional<Answer> authorizeMetrics(String key, String address, String requestId) {
    Decision<Principal> decision = client.authorizeAdmin(key, address, "metrics");
    return decision instanceof Decision.Rejected<Principal> r
        ? Optional.of(Answer.of(Problem.from(r.rejection()), requestId)) : Optional.empty();
  }

  /**
   * The answer to one admin request, for the front to write: the status, the JSON body (an RFC 9457
   * problem when the status is 400 or more), the {@code Allow} field of a 405 and the {@code Retry-After}
   * seconds of a refusal that gave one (0 for none).
   *
   * @param status the HTTP status
   * @param json the body
   * @param allow the methods the path allows, on a 405; empty otherwise
   * @param retryAfterSeconds the {@code Retry-After} value; 0 for none
   */
  public record Answer(int status, String json, String allow, long retryAfterSeconds) {
    static Answer of(Problem p, String requestId) {
      return new Answer(p.status(), new String(p.toJson(requestId), StandardCharsets.UTF_8), "", p.retryAfterSeconds());
    }

    /** @return whether {@link #json} is a problem ({@code application/problem+json}) */
    public boolean isProblem() {
      return status >= 400;
    }
  }

  /**
   * Authorizes, performs and audits one admin request; every failure is an {@link Answer} with its problem.
   *
   * @param method the HTTP method
   * @param rawPath the raw path after {@code /admin/}
   * @param rawQuery the raw query; null or empty for none
   * @param key the {@code X-API-Key} value; empty when none was sent
   * @param address the caller's address as the front resolved it
   * @param requestId the request id, the problem's {@code instance}
   * @return the answer
   */
  public Answer handle(String method, String rawPath, @org.jspecify.annotations.Nullable String rawQuery, String key,
      String address, String requestId) {
    try {
      return perform(method, rawPath, rawQuery, key, address, requestId);
    } catch (Problem.Failure f) {
      return Answer.of(f.problem(), requestId);
    }
  }

  private Answer perform(String method, String rawPath, @org.jspecify.annotations.Nullable String rawQuery, String key,
      String address, String requestId) throws Problem.Failure {
    String[] p = rawPath.split("/", -1);
    IncidentAction.Kind kind = kind(p);
    if (kind == null) {
      return Answer.of(Problem.of(404, Problem.NOT_FOUND, "No such resource."), requestId);
    }
    boolean lockdown = kind == IncidentAction.Kind.LOCKDOWN;
    if (lockdown && method.equals("DELETE")) {
      kind = IncidentAction.Kind.END_LOCKDOWN;
    } else if (!method.equals("POST")) {
      Problem m = ServiceHandler.methodNotAllowed();
      return new Answer(m.status(), new String(m.toJson(requestId), StandardCharsets.UTF_8),
          lockdown ? "POST, DELETE" : "POST", 0);
    }
    String target = lockdown ? null : decode(p[1]);
    Decision<Principal> decision = client.authorizeAdmin(key, address, kind.actionName());
    if (!(decision instanceof Decision.Allowed<Principal> admin)) {
      return Answer.of(Problem.from(((Decision.Rejected<Principal>) decision).rejection()), requestId);
    }
    Map<String, String> query = query(rawQuery);
    // One check of the parameters for every front (the starter's actuator endpoint too); 'for' is the duration.
    Decision<IncidentAction> parsed = IncidentAction.parse(kind, target, query.get("for"), query.get("mode"),
        client::addressSubject);
    if (!(parsed instanceof Decision.Allowed<IncidentAction> checked)) {
      return Answer.of(Problem.from(((Decision.Rejected<IncidentAction>) parsed).rejection()), requestId);
    }
    IncidentAction action = checked.value();
    boolean changed;
    try {
      changed = actions.perform(action);
    } catch (UnsupportedOperationException e) {
      return Answer.of(Problem.of(501, Problem.NOT_CONFIGURED, "Admin actions are not configured on this service."),
          requestId);
    }
    client.events().publish(action.audit(admin.value(), changed, requestId,
            client.addressSubject(address).orElse(address))
        .attributes(query.isEmpty() ? Map.of() : Map.of("admin.parameters", query.toString()))
        .build());
    LOG.warn("admin {} ({}) performed {} on {}; changed={}", admin.value().id(), admin.value().keyId(),
        kind.actionName(), action.target(), changed);
    return new Answer(200, "{\"action\":" + HttpFields.jsonString(kind.actionName()) + ",\"target\":"
        + HttpFields.jsonString(action.target()) + ",\"changed\":" + changed + "}", "", 0);
  }

  /** The action a path names ({@code lockdown} for both methods of {@code /admin/lockdown}), or null. */
  private static IncidentAction.@org.jspecify.annotations.Nullable Kind kind(String[] p) {
    if (p.length == 1 && p[0].equals("lockdown")) {
      return IncidentAction.Kind.LOCKDOWN;
    }
    if (p.length != 3) {
      return null;
    }
    return switch (p[0] + "/" + p[2]) {
      case "keys/revoke" -> IncidentAction.Kind.REVOKE_KEY;
      case "principals/suspend" -> IncidentAction.Kind.SUSPEND_PRINCIPAL;
      case "principals/lift" -> IncidentAction.Kind.LIFT_PRINCIPAL;
      case "addresses/suspend" -> IncidentAction.Kind.SUSPEND_ADDRESS;
      case "addresses/lift" -> IncidentAction.Kind.LIFT_ADDRESS;
      default -> null;
    };
  }

  /** A path segment decoded; {@link IncidentAction} checks what it holds. */
  private static String decode(String segment) throws Problem.Failure {
    if (!SEGMENT.matcher(segment).matches()) {
      throw new Problem.Failure(Problem.malformed("The id in the path is malformed."));
    }
    try {
      return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Problem.Failure(Problem.malformed("The path is malformed."));
    }
  }

  private static Map<String, String> query(@org.jspecify.annotations.Nullable String raw) throws Problem.Failure {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    if (raw.length() > MAX_QUERY) {
      throw new Problem.Failure(Problem.malformed("The query is too long."));
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      if (!name.equals("for") && !name.equals("mode") || out.put(name, decodeValue(value)) != null) {
        throw new Problem.Failure(Problem.malformed("The query has an unknown or repeated parameter."));
      }
    }
    return out;
  }

  private static String decodeValue(String value) throws Problem.Failure {
    try {
      String v = URLDecoder.decode(value, StandardCharsets.UTF_8);
      if (!v.matches("[A-Za-z0-9-]{1,32}")) {
        throw new Problem.Failure(Problem.malformed("A query parameter is malformed."));
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw new Problem.Failure(Problem.malformed("A query parameter is malformed."));
    }
  }
}
