package dev.f2p.examples.http;

import static dev.f2p.examples.http.ServiceHarness.ADMIN_KEY;
import static dev.f2p.examples.http.ServiceHarness.USER_KEY;
import static dev.f2p.examples.http.ServiceHarness.body;
import static dev.f2p.examples.http.ServiceHarness.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 18, finding 1: connections that announce a body, send a few bytes and fall silent
 * held every concurrency slot, because the service took a slot and read the body before it looked at the
 * key. Now a caller is admitted on its headers first: the silent, keyless (or blocked) uploads get their
 * 401 (403) without a slot or a body byte read, and a legitimate upload and an admin call go through.
 */
class SlowBodyAttackTest {
  private static final int ATTACKERS = 16;

  @Test
  void silentUploadsWithoutAKeyHoldNoSlotAndKeepNobodyOut() throws Exception {
    try (ServiceHarness h = new ServiceHarness(Map.of(), b -> b.maxConcurrent(ATTACKERS)
        .readTimeout(Duration.ofSeconds(30)))) {
      List<Socket> attackers = new ArrayList<>();
      try {
        for (int i = 0; i < ATTACKERS; i++) {
          attackers.add(slowUpload(h, null, null));
        }
        awaitInFlight(h, ATTACKERS);
        assertThat(bodyBytesRead(h)).isZero();

        assertLegitimateTrafficGetsThrough(h, "/admin/principals/mallory/suspend?for=1h");
      } finally {
        closeAll(attackers);
      }
    }
  }

  @Test
  void silentUploadsFromABlockedAddressWithAGoodKeyHoldNoSlotEither() throws Exception {
    // Behind a trusted proxy the attacker has an address of its own, which the admin has blocked.
    try (ServiceHarness h = new ServiceHarness(Map.of(), b -> b.maxConcurrent(ATTACKERS).trustedProxies(1))) {
      assertThat(h.admin("POST", "/admin/addresses/198.51.100.66/suspend?for=1h", ADMIN_KEY).statusCode())
          .isEqualTo(200);
      List<Socket> attackers = new ArrayList<>();
      try {
        for (int i = 0; i < ATTACKERS; i++) {
          attackers.add(slowUpload(h, USER_KEY, "198.51.100.66"));
        }
        awaitInFlight(h, ATTACKERS);
        assertThat(bodyBytesRead(h)).isZero();

        assertLegitimateTrafficGetsThrough(h, "/admin/principals/mallory/lift");
      } finally {
        closeAll(attackers);
      }
    }
  }

  private static void assertLegitimateTrafficGetsThrough(ServiceHarness h, String adminPath) {
    HttpResponse<byte[]> ok = h.send(HttpRequest.newBuilder(h.uri("/generate")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", Multipart.contentType()).header("X-API-Key", USER_KEY)
        .header("X-Forwarded-For", "192.0.2.10")
        .POST(HttpRequest.BodyPublishers.ofByteArray(form("a portrait").build())).build());
    assertThat(ok.statusCode()).as(body(ok)).isEqualTo(200);

    HttpResponse<byte[]> admin = h.send(HttpRequest.newBuilder(h.uri(adminPath)).timeout(Duration.ofSeconds(10))
        .header("X-API-Key", ADMIN_KEY).header("X-Forwarded-For", "192.0.2.11")
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(admin.statusCode()).as(body(admin)).isEqualTo(200);
  }

  /** Announces 100000 body bytes, sends a few, and stays silent with the connection open. */
  private static Socket slowUpload(ServiceHarness h, String key, String forwardedFor) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", h.service.port()), 5000);
    String head = "POST /generate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: " + Multipart.contentType() + "\r\nContent-Length: 100000\r\n"
        + (key == null ? "" : "X-API-Key: " + key + "\r\n")
        + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n")
        + "\r\n--" + Multipart.BOUNDARY + "\r\n";
    OutputStream out = s.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  /** Waits (bounded) until the service is handling {@code n} requests: the attack is in place. */
  private static void awaitInFlight(ServiceHarness h, int n) throws InterruptedException {
    Gauge inFlight = h.service.meterRegistry().get("f2p.http.in.flight").gauge();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (inFlight.value() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(inFlight.value()).as("requests in flight").isGreaterThanOrEqualTo(n);
  }

  private static double bodyBytesRead(ServiceHarness h) {
    Counter c = h.service.meterRegistry().find("f2p.http.body.read").counter();
    return c == null ? 0 : c.count();
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing is all we want
      }
    }
  }
}
