package dev.f2p.examples.http;

import com.sun.net.httpserver.HttpExchange;
import dev.f2p.core.HttpFields;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicySettings;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
final class AdminEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoints.class);
  static final Duration DEFAULT_SUSPENSION = Duration.ofHours(1);
  static final Duration MAX_SUSPENSION = Duration.ofDays(30);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,128}");
  private static final int MAX_QUERY = 256;

  private final ImageEditClient client;
  private final AdminActions actions;

  AdminEndpoints(ImageEditClient client, AdminActions actions) {
    this.client = client;
    this.actions = actions;
  }

  /** The lockdown the actions report; empty when none, or when they cannot tell or fail to. */
  java.util.Optional<AdminActions.LockdownMode> lockdownMode() {
    try {
      return actions.lockdownMode();
    } catch (RuntimeException e) {
      LOG.warn("reading the lockdown mode failed", e);
      return java.util.Optional.empty();
    }
  }

  /** One admin action to perform: its name, target, and what to call. */
  private record Action(String name, String target, Call call) {}

  @FunctionalInterface
  private interface Call {
    boolean perform(AdminActions actions, Map<String, String> query) throws Problem.Failure;
  }

  int handle(HttpExchange exchange, String requestId, String address, ServiceHandler http)
      throws IOException, Problem.Failure {
    String method = exchange.getRequestMethod();
    String[] path = exchange.getRequestURI().getRawPath().substring("/admin/".length()).split("/", -1);
    Action action = match(path, client);
    if (action == null) {
      return http.problem(exchange, requestId, Problem.of(404, Problem.NOT_FOUND, "No such resource."));
    }
    String allowed = action.name().equals("lockdown") ? "POST, DELETE" : "POST";
    boolean endLockdown = action.name().equals("lockdown") && method.equals("DELETE");
    if (!method.equals("POST") && !endLockdown) {
      return http.methodNotAllowed(exchange, requestId, allowed);
    }
    Action chosen = endLockdown ? new Action("end-lockdown", "service", (a, q) -> a.endLockdown()) : action;

    String key = ServiceHandler.single(exchange.getRequestHeaders(), "X-API-Key").orElse("");
    Decision<Principal> decision = client.authorizeAdmin(key, address, chosen.name());
    if (!(decision instanceof Decision.Allowed<Principal> admin)) {
      return http.problem(exchange, requestId, Problem.from(((Decision.Rejected<Principal>) decision).rejection()));
    }
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    boolean changed;
    try {
      changed = chosen.call().perform(actions, query);
    } catch (UnsupportedOperationException e) {
      return http.problem(exchange, requestId, Problem.of(501, Problem.NOT_CONFIGURED,
          "Admin actions are not configured on this service."));
    }
    client.events().publish(SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE)
        .severity(chosen.name().equals("lockdown") ? Severity.CRITICAL : Severity.WARN)
        .requestId(requestId).principal(admin.value()).clientAddress(client.addressSubject(address).orElse(address))
        .detail("ADMIN_" + chosen.name().toUpperCase(Locale.ROOT).replace('-', '_'))
        .attribute("admin.action", chosen.name()).attribute("admin.target", chosen.target())
        .attribute("admin.changed", Boolean.toString(changed))
        .attributes(query.isEmpty() ? Map.of() : Map.of("admin.parameters", query.toString()))
        .build());
    LOG.warn("admin {} ({}) performed {} on {}; changed={}", admin.value().id(), admin.value().keyId(),
        chosen.name(), chosen.target(), changed);
    String json = "{\"action\":" + HttpFields.jsonString(chosen.name())
        + ",\"target\":" + HttpFields.jsonString(chosen.target()) + ",\"changed\":" + changed + "}";
    return http.send(exchange, requestId, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** The action a path names, or null. Ids are decoded and checked, so none reaches a log unbounded. */
  private static Action match(String[] p, ImageEditClient client) throws Problem.Failure {
    if (p.length == 1 && p[0].equals("lockdown")) {
      return new Action("lockdown", "service", (a, q) -> a.lockdown(mode(q)));
    }
    if (p.length != 3) {
      return null;
    }
    String target = decode(p[1]);
    return switch (p[0] + "/" + p[2]) {
      case "keys/revoke" -> new Action("revoke-key", target, (a, q) -> a.revokeKey(target));
      case "principals/suspend" -> new Action("suspend-principal", target,
          (a, q) -> a.suspendPrincipal(target, duration(q)));
      case "principals/lift" -> new Action("lift-principal", target, (a, q) -> a.liftPrincipal(target));
      case "addresses/suspend" -> {
        String subject = address(client, target);
        yield new Action("suspend-address", subject, (a, q) -> a.suspendAddress(subject, duration(q)));
      }
      case "addresses/lift" -> {
        String subject = address(client, target);
        yield new Action("lift-address", subject, (a, q) -> a.liftAddress(subject));
      }
      default -> null;
    };
  }

  private static String decode(String segment) throws Problem.Failure {
    String id;
    try {
      id = URLDecoder.decode(segment, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Problem.Failure(Problem.malformed("The path is malformed."));
    }
    if (!ID.matcher(id).matches()) {
      throw new Problem.Failure(Problem.malformed("The id in the path is malformed."));
    }
    return id;
  }

  /**
   * The subject the pipeline tracks {@code target} under (canonical; an IPv6 address's prefix), so a block
   * applies to exactly what the limits and lockouts count: {@code ::1} and {@code 0:0:0:0:0:0:0:1} alike.
   */
  private static String address(ImageEditClient client, String target) throws Problem.Failure {
    return client.addressSubject(target)
        .orElseThrow(() -> new Problem.Failure(Problem.malformed("The address must be an IP address.")));
  }

  private static Duration duration(Map<String, String> query) throws Problem.Failure {
    String value = query.get("for");
    if (value == null) {
      return DEFAULT_SUSPENSION;
    }
    Duration d;
    try {
      d = PolicySettings.parseDuration("for", value);
    } catch (IllegalArgumentException e) {
      throw new Problem.Failure(Problem.malformed("'for' must be a duration such as 15m, 1h or 2d."));
    }
    if (d.isZero() || d.compareTo(MAX_SUSPENSION) > 0) {
      throw new Problem.Failure(Problem.malformed("'for' must be more than zero and at most 30d."));
    }
    return d;
  }

  private static AdminActions.LockdownMode mode(Map<String, String> query) throws Problem.Failure {
    return switch (query.getOrDefault("mode", "all")) {
      case "all" -> AdminActions.LockdownMode.ALL;
      case "admins-only" -> AdminActions.LockdownMode.ADMINS_ONLY;
      default -> throw new Problem.Failure(Problem.malformed("'mode' must be all or admins-only."));
    };
  }

  private static Map<String, String> query(String raw) throws Problem.Failure {
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
