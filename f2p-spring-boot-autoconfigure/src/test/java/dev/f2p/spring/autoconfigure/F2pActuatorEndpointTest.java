package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Admission;
import dev.f2p.core.AdmissionRequest;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.security.auth.ApiKeyAuthenticator;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.InMemoryApiKeyStore;
import dev.f2p.security.auth.KeyHasher;
import dev.f2p.security.guard.StandardResourceGuard;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentControlProvider;
import dev.f2p.security.incident.LockdownMode;
import dev.f2p.testing.Await;
import dev.f2p.testing.RedisServer;
import dev.f2p.testing.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The health groups and the {@code f2p} endpoint over HTTP, in a Boot application with the incident state in
 * a real Redis: readiness carries the guard's indicators, liveness none; the incident actions only for an
 * ADMIN key, audited; every other caller refused with nothing changed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "management.endpoints.web.exposure.include=health,f2p",
    "management.endpoint.health.probes.enabled=true",
    "management.endpoint.health.show-details=always",
    "f2p.authorizers=roles,incident",
    "f2p.authorizer.incident.store=redis",
    "spring.servlet.multipart.resolve-lazily=true"})
class F2pActuatorEndpointTest {
  static final RedisServer REDIS = RedisServer.start();
  static final ApiKeys KEYS = new ApiKeys(new InMemoryApiKeyStore(), KeyHasher.sha256(), Clock.systemUTC());
  static final String ADMIN = KEYS.issue("root", Set.of(Role.ADMIN), Optional.empty()).key();
  static final String USER = KEYS.issue("alice", Set.of(Role.USER), Optional.empty()).key();
  static final String CAROL = KEYS.issue("carol", Set.of(Role.USER), Optional.empty()).key();
  static final TestClients.Recorder EVENTS = new TestClients.Recorder();

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("f2p.redis.uri", REDIS::uri);
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  /** A Boot application: the real API-key authenticator on the issued keys, a standard guard. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(F2pHealthIndicatorsTest.OpenPolicies.class)
  static class App {
    @Bean
    Authenticator authenticator() {
      return ApiKeyAuthenticator.builder().store(storeOf()).hasher(KeyHasher.sha256()).build();
    }

    private static dev.f2p.security.auth.ApiKeyStore storeOf() {
      InMemoryApiKeyStore store = new InMemoryApiKeyStore();
      store.save(KEYS.list());
      return store;
    }

    @Bean
    ResourceGuard guard() {
      return StandardResourceGuard.ofDefaults();
    }

    @Bean
    TestClients.Recorder recorder() {
      return EVENTS;
    }
  }

  @LocalServerPort
  int port;
  @Autowired
  ImageEditClient client;
  @Autowired
  F2pSharedObjects shared;
  @Autowired
  HealthEndpointGroups groups;
  private final HttpClient http = HttpClient.newHttpClient();

  private IncidentControl control() {
    return shared.find(IncidentControlProvider.SHARED_KEY, IncidentControl.class).orElseThrow();
  }

  @AfterEach
  void reset() {
    control().lockdown(LockdownMode.OFF);
    control().liftAddress(client.addressSubject("127.0.0.1").orElseThrow());
    control().liftPrincipal("alice");
    EVENTS.events.clear();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String action, String key, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/f2p/" + action))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private boolean userAdmitted() {
    try (Admission a = client.admit(AdmissionRequest.of(USER, "192.0.2.9", "r-user"))) {
      return a.isAdmitted();
    }
  }

  @Test
  void readinessCarriesTheGuardsIndicatorsAndLivenessNone() throws Exception {
    HttpResponse<String> ready = get("/actuator/health/readiness");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("\"readinessState\"", "\"f2p\"", "\"f2pBreaker\"", "\"f2pRedis\"",
        "\"f2pLockdown\"", "\"inUse\":true", "\"available\":true");
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    HealthEndpointGroup liveness = groups.get("liveness");
    assertThat(liveness.isMember("livenessState")).isTrue();
    assertThat(List.of("f2p", "f2pBreaker", "f2pRedis", "f2pLockdown")).noneMatch(liveness::isMember);
  }

  @Test
  void theEndpointShowsBreakerAndRedis() throws Exception {
    HttpResponse<String> r = get("/actuator/f2p");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"model\":\"scripted-1\"", "\"lockdown\":\"off\"", "\"breaker\":\"CLOSED\"",
        "\"redis\":{\"available\":true,\"failureMode\":\"FAIL_CLOSED\"}");
  }

  @Test
  void callersWithoutAnAdminKeyAreRefusedAndNothingChanges() throws Exception {
    String wrongSecret = ADMIN.substring(0, ADMIN.length() - 1) + (ADMIN.endsWith("a") ? "b" : "a");
    assertThat(post("lockdown", null, "{}").statusCode()).isEqualTo(401);
    assertThat(post("lockdown", "", "{}").statusCode()).isEqualTo(401);
    assertThat(post("lockdown", wrongSecret, "{}").statusCode()).isEqualTo(401);
    HttpResponse<String> user = post("lockdown", USER, "{}");
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(user.body()).contains("\"code\":\"FORBIDDEN\"");
    assertThat(post("revoke-key", USER, "{\"target\":\"anything\"}").statusCode()).isEqualTo(403);
    assertThat(control().lockdownMode()).isEqualTo(LockdownMode.OFF);
    assertThat(userAdmitted()).isTrue();
    assertThat(EVENTS.events).noneMatch(e -> e.stage() == Stage.INCIDENT);
  }

  @Test
  void aBlockedAddressIsRefusedBeforeItsKeyIsLookedAt() throws Exception {
    control().suspendAddress(client.addressSubject("127.0.0.1").orElseThrow(), java.time.Duration.ofHours(1));
    HttpResponse<String> r = post("lockdown", ADMIN, "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(control().lockdownMode()).isEqualTo(LockdownMode.OFF);
  }

  @Test
  void anUnknownActionOrABadTargetChangesNothing() throws Exception {
    assertThat(post("format-disk", ADMIN, "{}").statusCode()).isEqualTo(404);
    assertThat(post("revoke-key", ADMIN, "{\"target\":\"../../etc\\npasswd\"}").statusCode()).isEqualTo(400);
    assertThat(post("suspend-address", ADMIN, "{\"target\":\"not-an-address\"}").statusCode()).isEqualTo(400);
    assertThat(post("suspend-principal", ADMIN, "{\"target\":\"alice\",\"duration\":\"400d\"}").statusCode())
        .isEqualTo(400);
    assertThat(post("lockdown", ADMIN, "{\"mode\":\"sideways\"}").statusCode()).isEqualTo(400);
    assertThat(control().lockdownMode()).isEqualTo(LockdownMode.OFF);
    assertThat(userAdmitted()).isTrue();
  }

  @Test
  void anAdminLocksDownAndLiftsItDuringTheLockdownAudited() throws Exception {
    HttpResponse<String> on = post("lockdown", ADMIN, "{\"mode\":\"all\"}");
    assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
    assertThat(on.body()).isEqualTo("{\"action\":\"lockdown\",\"target\":\"service\",\"changed\":true}");
    assertThat(userAdmitted()).isFalse();
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

    HttpResponse<String> off = post("end-lockdown", ADMIN, "{}");
    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
    assertThat(off.body()).contains("\"changed\":true");
    assertThat(userAdmitted()).isTrue();
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

    assertThat(EVENTS.events).filteredOn(e -> e.stage() == Stage.INCIDENT && e.detail().orElse("").startsWith("ADMIN_"))
        .extracting(e -> e.detail().orElseThrow()).containsExactly("ADMIN_LOCKDOWN", "ADMIN_END_LOCKDOWN");
    SecurityEvent audit = EVENTS.events.stream().filter(e -> e.detail().filter("ADMIN_LOCKDOWN"::equals).isPresent()).findFirst()
        .orElseThrow();
    assertThat(audit.principalId()).hasValue("root");
    assertThat(audit.attributes()).containsEntry("admin.action", "lockdown").containsEntry("admin.target", "service")
        .containsEntry("admin.changed", "true");
  }

  @Test
  void anAdminRevokesAKeyAndSuspendsAndLiftsAPrincipal() throws Exception {
    assertThat(post("suspend-principal", ADMIN, "{\"target\":\"alice\",\"duration\":\"1h\"}").statusCode())
        .isEqualTo(200);
    assertThat(userAdmitted()).isFalse();
    HttpResponse<String> lift = post("lift-principal", ADMIN, "{\"target\":\"alice\"}");
    assertThat(lift.body()).contains("\"changed\":true");
    assertThat(userAdmitted()).isTrue();
    // A key of its own to revoke: revocations are for good, and the other tests use alice's.
    try (Admission a = client.admit(AdmissionRequest.of(CAROL, "192.0.2.9", "r-carol"))) {
      assertThat(a.isAdmitted()).isTrue();
    }
    String carolKeyId = KEYS.list().stream().filter(k -> k.principalId().equals("carol")).findFirst().orElseThrow()
        .keyId();
    HttpResponse<String> revoke = post("revoke-key", ADMIN, "{\"target\":\"" + carolKeyId + "\"}");
    assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);
    try (Admission a = client.admit(AdmissionRequest.of(CAROL, "192.0.2.9", "r-carol"))) {
      assertThat(a.isAdmitted()).isFalse();
    }
    assertThat(userAdmitted()).isTrue();
  }

  /**
   * A locked-out address is refused with 429 and told when to come back, as {@code POST /generate} tells it:
   * {@code Retry-After} on the actuator's refusal too. From 127.0.0.2, so the lockout stays off the other tests.
   */
  @Test
  void aLockedOutAdminIsToldWhenToComeBack() throws Exception {
    String wrongSecret = ADMIN.substring(0, ADMIN.length() - 1) + (ADMIN.endsWith("a") ? "b" : "a");
    for (int i = 0; i < dev.f2p.security.auth.LockoutPolicy.DEFAULT_THRESHOLD; i++) {
      assertThat(rawPost("127.0.0.2", "lockdown", wrongSecret)).startsWith("HTTP/1.1 401");
    }
    String refused = rawPost("127.0.0.2", "lockdown", ADMIN);
    assertThat(refused).startsWith("HTTP/1.1 429").containsPattern("(?i)\\r\\nRetry-After: [1-9][0-9]*\\r\\n");
    assertThat(control().lockdownMode()).isEqualTo(LockdownMode.OFF);
    // A refusal that is not about time carries none.
    assertThat(rawPost("127.0.0.3", "lockdown", USER)).startsWith("HTTP/1.1 403").doesNotContainIgnoringCase("Retry-After");
  }

  /** A POST of an empty JSON object from {@code local} (a loopback address of its own); the whole answer. */
  private String rawPost(String local, String action, String key) throws Exception {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port,
        java.net.InetAddress.getByName(local), 0)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("POST /actuator/f2p/" + action + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\nX-API-Key: " + key
          + "\r\n\r\n{}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void redisDownTakesTheInstanceOutOfServiceUntilItIsBack() throws Exception {
    REDIS.kill();
    try {
      Await.until("readiness reports Redis down", () -> status("/actuator/health/readiness") == 503);
      assertThat(get("/actuator/health/readiness").body()).contains("\"available\":false");
      assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    } finally {
      REDIS.restart();
    }
    Await.until("readiness reports Redis back", () -> status("/actuator/health/readiness") == 200);
  }

  private int status(String path) {
    try {
      return get(path).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
