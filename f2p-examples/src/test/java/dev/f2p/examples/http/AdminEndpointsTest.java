package dev.f2p.examples.http;

import static dev.f2p.examples.http.ServiceHarness.ADMIN_KEY;
import static dev.f2p.examples.http.ServiceHarness.USER_KEY;
import static dev.f2p.examples.http.ServiceHarness.USER_KEY_ID;
import static dev.f2p.examples.http.ServiceHarness.assertProblem;
import static dev.f2p.examples.http.ServiceHarness.body;
import static dev.f2p.examples.http.ServiceHarness.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.examples.http.fakes.TestState;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each admin action takes effect on the next request, and is audited; only ADMIN may act. */
class AdminEndpointsTest {
  private final ServiceHarness h = new ServiceHarness();

  @AfterEach
  void stop() {
    h.close();
  }

  private int generate(String key) {
    return h.generate(key, form("a portrait").build()).statusCode();
  }

  private HttpResponse<byte[]> admin(String method, String path) {
    HttpResponse<byte[]> r = h.admin(method, path, ADMIN_KEY);
    assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return r;
  }

  @Test
  void revokingAKeyUnauthenticatesItsNextRequest() {
    assertThat(generate(USER_KEY)).isEqualTo(200);
    HttpResponse<byte[]> r = admin("POST", "/admin/keys/" + USER_KEY_ID + "/revoke");
    assertThat(body(r)).isEqualTo("{\"action\":\"revoke-key\",\"target\":\"f2p_user\",\"changed\":true}");
    assertProblem(h.generate(USER_KEY, form("a portrait").build()), 401, "UNAUTHENTICATED");
  }

  @Test
  void suspendingAndLiftingAPrincipal() {
    admin("POST", "/admin/principals/alice/suspend?for=1h");
    assertProblem(h.generate(USER_KEY, form("a portrait").build()), 403, "FORBIDDEN");
    admin("POST", "/admin/principals/alice/lift");
    assertThat(generate(USER_KEY)).isEqualTo(200);
  }

  @Test
  void suspendingAndLiftingAnAddress() {
    admin("POST", "/admin/addresses/127.0.0.1/suspend?for=15m");
    assertProblem(h.generate(USER_KEY, form("a portrait").build()), 403, "FORBIDDEN");
    admin("POST", "/admin/addresses/127.0.0.1/lift");
    assertThat(generate(USER_KEY)).isEqualTo(200);
  }

  @Test
  void lockdownAllThenAdminsOnlyThenOff() {
    admin("POST", "/admin/lockdown?mode=all");
    HttpResponse<byte[]> locked = h.generate(USER_KEY, form("a portrait").build());
    assertProblem(locked, 503, "SERVICE_LOCKED_DOWN");
    assertThat(locked.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(generate(ADMIN_KEY)).isEqualTo(503);

    admin("POST", "/admin/lockdown?mode=admins-only");
    assertThat(generate(USER_KEY)).isEqualTo(503);
    assertThat(generate(ADMIN_KEY)).isEqualTo(200);

    admin("DELETE", "/admin/lockdown");
    assertThat(generate(USER_KEY)).isEqualTo(200);
  }

  @Test
  void everyActionIsAuditedAsAnIncidentEventWithIdsOnly() {
    admin("POST", "/admin/principals/alice/suspend?for=2h");
    SecurityEvent event = h.events.stream().filter(e -> e.stage() == Stage.INCIDENT).findFirst().orElseThrow();
    assertThat(event.outcome()).isEqualTo(Outcome.NOTICE);
    assertThat(event.severity()).isEqualTo(Severity.WARN);
    assertThat(event.principalId()).hasValue("root");
    assertThat(event.keyId()).hasValue("f2p_admin");
    assertThat(event.clientAddress()).hasValue("127.0.0.1");
    assertThat(event.detail()).hasValue("ADMIN_SUSPEND_PRINCIPAL");
    assertThat(event.attributes()).containsEntry("admin.action", "suspend-principal")
        .containsEntry("admin.target", "alice").containsEntry("admin.changed", "true");
    assertThat(event.toString() + event.attributes()).doesNotContain(ADMIN_KEY);
  }

  @ParameterizedTest
  @CsvSource({
      "POST, /admin/keys/f2p_user/revoke",
      "POST, /admin/principals/alice/suspend",
      "POST, /admin/lockdown",
      "DELETE, /admin/lockdown",
  })
  void onlyAdminsMayAct(String method, String path) {
    assertProblem(h.admin(method, path, null), 401, "UNAUTHENTICATED");
    assertProblem(h.admin(method, path, "f2p_not_a_key"), 401, "UNAUTHENTICATED");
    assertProblem(h.admin(method, path, USER_KEY), 403, "FORBIDDEN");
    assertThat(generate(USER_KEY)).isEqualTo(200);
    assertThat(h.events).noneMatch(e -> e.stage() == Stage.INCIDENT);
  }

  @ParameterizedTest
  @CsvSource({
      "POST, /admin/principals/alice/suspend?for=forever, 400",
      "POST, /admin/principals/alice/suspend?for=31d, 400",
      "POST, /admin/principals/alice/suspend?until=1h, 400",
      "POST, /admin/addresses/not-an-ip/suspend, 400",
      "POST, /admin/principals/al%0Aice/suspend, 400",
      "POST, /admin/lockdown?mode=some, 400",
      "POST, /admin/keys/f2p_user, 404",
      "POST, /admin/unknown/x/y, 404",
      "GET, /admin/keys/f2p_user/revoke, 405",
      "PUT, /admin/lockdown, 405",
  })
  void badAdminRequestsAreProblems(String method, String path, int status) {
    HttpResponse<byte[]> r = h.admin(method, path, ADMIN_KEY);
    assertThat(r.statusCode()).as(body(r)).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void aServiceWithNoAdminActionsAnswers501AfterAuthorizing() {
    TestState state = TestState.create();
    ImageEditClient client = ImageEditClient.builder().configure(ServiceHarness.settings(state, Map.of())).build();
    try (HttpService service = HttpService.builder(client).port(0).start()) {
      var uri = java.net.URI.create("http://127.0.0.1:" + service.port() + "/admin/lockdown");
      HttpResponse<byte[]> anonymous = h.send(java.net.http.HttpRequest.newBuilder(uri)
          .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
      assertProblem(anonymous, 401, "UNAUTHENTICATED");
      HttpResponse<byte[]> r = h.send(java.net.http.HttpRequest.newBuilder(uri).header("X-API-Key", ADMIN_KEY)
          .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
      assertProblem(r, 501, "NOT_CONFIGURED");
    }
  }
}
