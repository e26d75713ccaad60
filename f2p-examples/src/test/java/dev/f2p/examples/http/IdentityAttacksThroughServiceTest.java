package dev.f2p.examples.http;

import static dev.f2p.examples.http.ServiceHarness.body;
import static dev.f2p.examples.http.ServiceHarness.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.examples.http.fakes.TestState;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.FileApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHasher;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentControlProvider;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18, findings 3, 4 and 5, through the HTTP service with the real identity policies (API keys with
 * lockout, roles, incident control behind the admin endpoints) behind one trusted proxy, so each request
 * can come from an address of its own.
 */
class IdentityAttacksThroughServiceTest {
  @TempDir Path dir;

  private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
  private IssuedKey user;
  private IssuedKey admin;
  private ServiceHarness h;

  @BeforeEach
  void start() throws Exception {
    Path keysFile = dir.resolve("keys.properties");
    ApiKeys keys = new ApiKeys(FileApiKeyStore.open(keysFile), KeyHasher.sha256(), Clock.systemUTC());
    user = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    admin = keys.issue("ops", Set.of(Role.ADMIN), Optional.empty());
    TestState state = TestState.create();
    Map<String, String> s = new TreeMap<>();
    s.put("f2p.authenticator.type", "api-key");
    s.put("f2p.authenticator.file", keysFile.toString());
    s.put("f2p.authorizers", "roles,incident");
    s.put("f2p.authorizer.incident.file", dir.resolve("incidents.journal").toString());
    s.put("f2p.rate-limiter.type", "token-bucket");
    s.put("f2p.rate-limiter.limits.default", "100/minute");
    s.put("f2p.rate-limiter.address", "100/minute");
    s.put("f2p.prompt-filter.type", "test-words");
    s.put("f2p.image-validator.type", "test-imageio");
    s.put("f2p.image-validator.max-bytes", "200000");
    s.put("f2p.resource-guard.type", "test-slots");
    s.put("f2p.resource-guard.slots", "4");
    s.put("f2p.resource-guard.state", state.id);
    s.put("f2p.engine.type", "test-engine");
    s.put("f2p.engine.state", state.id);
    PolicySettings settings = PolicySettings.of(s);
    ImageEditClient client = ImageEditClient.builder().configure(settings).addListener(events::add).build();
    IncidentControl control = settings.findShared(IncidentControlProvider.SHARED_KEY, IncidentControl.class).orElseThrow();
    h = new ServiceHarness(client, b -> b.trustedProxies(1).adminActions(new IncidentAdminActions(control)));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private HttpResponse<byte[]> generate(String key, String from) {
    return h.send(HttpRequest.newBuilder(h.uri("/generate")).timeout(Duration.ofSeconds(20))
        .header("Content-Type", Multipart.contentType()).header("X-API-Key", key).header("X-Forwarded-For", from)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form("a portrait").build())).build());
  }

  private HttpResponse<byte[]> admin(String method, String path, String key, String from) {
    return h.send(HttpRequest.newBuilder(h.uri(path)).timeout(Duration.ofSeconds(20)).header("X-API-Key", key)
        .header("X-Forwarded-For", from).method(method, HttpRequest.BodyPublishers.noBody()).build());
  }

  /** Finding 3: key ids are public; guessing at the admin's locks out the guessers, never the admin. */
  @Test
  void wrongSecretsForTheAdminKeyIdLockOutTheAttackersNotTheAdmin() {
    String wrong = admin.key().substring(0, admin.key().length() - 6) + "AAAAAA";
    for (int i = 0; i < 30; i++) {
      HttpResponse<byte[]> r = admin("POST", "/admin/lockdown?mode=all", wrong, "198.51.100." + (i % 3));
      assertThat(r.statusCode()).isIn(401, 429);
    }
    // The attackers' addresses are locked out (10 failures each), even with the right key ...
    assertThat(generate(admin.key(), "198.51.100.1").statusCode()).isEqualTo(429);
    // ... the owner, elsewhere, is not: on the admin endpoints and on /generate.
    HttpResponse<byte[]> lift = admin("DELETE", "/admin/lockdown", admin.key(), "192.0.2.10");
    assertThat(lift.statusCode()).as(body(lift)).isEqualTo(200);
    assertThat(generate(admin.key(), "192.0.2.10").statusCode()).isEqualTo(200);
    assertThat(events).anySatisfy(e -> {
      assertThat(e.detail()).contains("KEY_UNDER_ATTACK");
      assertThat(e.keyId()).contains(admin.keyId());
    });
  }

  /** Finding 4: a lockdown for everyone can be lifted by an admin through the service, and /health says so. */
  @Test
  void aLockdownForEveryoneIsReportedAndAnAdminLiftsItThroughTheService() {
    assertThat(admin("POST", "/admin/lockdown?mode=all", admin.key(), "192.0.2.10").statusCode()).isEqualTo(200);
    assertThat(generate(user.key(), "192.0.2.20").statusCode()).isEqualTo(503);
    assertThat(generate(admin.key(), "192.0.2.10").statusCode()).isEqualTo(503);
    HttpResponse<byte[]> health = h.get("/health", null);
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(body(health)).contains("\"status\":\"LOCKED_DOWN\"").contains("\"lockdown\":{\"active\":true,\"mode\":\"all\"}");

    // Every admin endpoint stays usable in the lockdown; a user key is still refused on them.
    assertThat(admin("POST", "/admin/principals/mallory/suspend?for=1h", admin.key(), "192.0.2.10").statusCode())
        .isEqualTo(200);
    assertThat(admin("DELETE", "/admin/lockdown", user.key(), "192.0.2.20").statusCode()).isEqualTo(403);
    HttpResponse<byte[]> lift = admin("DELETE", "/admin/lockdown", admin.key(), "192.0.2.10");
    assertThat(lift.statusCode()).as(body(lift)).isEqualTo(200);
    assertThat(body(lift)).contains("\"changed\":true");

    assertThat(h.get("/health", null).statusCode()).isEqualTo(200);
    assertThat(generate(user.key(), "192.0.2.20").statusCode()).isEqualTo(200);
    // Lifting is audited: the admin's action and the incident control's own notice.
    assertThat(events).anySatisfy(e -> {
      assertThat(e.stage()).isEqualTo(Stage.INCIDENT);
      assertThat(e.detail()).contains("ADMIN_END_LOCKDOWN");
      assertThat(e.principalId()).contains("ops");
    });
    assertThat(events).anySatisfy(e -> {
      assertThat(e.stage()).isEqualTo(Stage.INCIDENT);
      assertThat(e.outcome()).isEqualTo(Outcome.NOTICE);
      assertThat(e.detail()).contains("LOCKDOWN_OFF");
    });
  }

  @Test
  void anAdminsOnlyLockdownIsReportedToo() {
    admin("POST", "/admin/lockdown?mode=admins-only", admin.key(), "192.0.2.10");
    assertThat(body(h.get("/health", null))).contains("\"mode\":\"admins-only\"");
    assertThat(generate(admin.key(), "192.0.2.10").statusCode()).isEqualTo(200);
    assertThat(generate(user.key(), "192.0.2.20").statusCode()).isEqualTo(503);
  }

  /** Finding 5: one address, one subject, however it is written; an IPv6 subscriber is its /64. */
  @Test
  void aBlockAppliesToTheAddressInEveryWritingAndToItsWholeSlash64() {
    assertThat(admin("POST", "/admin/addresses/0:0:0:0:0:0:0:1/suspend", admin.key(), "192.0.2.10").statusCode())
        .isEqualTo(200);
    assertThat(generate(user.key(), "::1").statusCode()).isEqualTo(403);
    assertThat(admin("POST", "/admin/addresses/2001:db8:1:2::5/suspend", admin.key(), "192.0.2.10").statusCode())
        .isEqualTo(200);
    assertThat(generate(user.key(), "2001:DB8:1:2:ffff:ffff:ffff:9").statusCode()).isEqualTo(403);
    assertThat(generate(user.key(), "2001:db8:1:3::9").statusCode()).isEqualTo(200);
    assertThat(admin("POST", "/admin/addresses/::ffff:192.0.2.30/suspend", admin.key(), "192.0.2.10").statusCode())
        .isEqualTo(200);
    assertThat(generate(user.key(), "192.0.2.30").statusCode()).isEqualTo(403);
    assertThat(admin("POST", "/admin/addresses/127.0.0.088/suspend", admin.key(), "192.0.2.10").statusCode())
        .isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:8080", "[::1]", "[::1]:443", "1:2", "::::", "127.0.0.088", "localhost",
      "unknown", "192.0.2.1 192.0.2.2", "_hidden", "192.0.2.1,"})
  void aForwardedForThatIsNotAnIpLiteralIsA400(String junk) {
    HttpResponse<byte[]> r = generate(user.key(), junk);
    ServiceHarness.assertProblem(r, 400, "INVALID_REQUEST");
    assertThat(events).noneMatch(e -> e.stage() == Stage.AUTHENTICATION);
  }
}
