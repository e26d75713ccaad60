package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.spi.Decision;
import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.Fixtures.CountingGuard;
import dev.f2p.core.testing.Fixtures.InvertingEngine;
import dev.f2p.testing.TestClients.Recorder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link ImageEditClient#admit}: judged on headers, completed once with the body, accounted when dropped. */
class AdmissionTest {
  private final Recorder events = new Recorder();
  private final CountingGuard guard = new CountingGuard();
  private final AtomicInteger permits = new AtomicInteger();
  private final List<String> addressesSeen = new CopyOnWriteArrayList<>();

  private ImageEditClient.Builder client() {
    return ImageEditClient.builder()
        .authenticator((key, address) -> {
          addressesSeen.add(address);
          return Fixtures.oneKey().authenticate(key, address);
        })
        .addAuthorizer((principal, request) -> request.width() > 256
            ? Decision.reject(ReasonCode.FORBIDDEN) : Decision.allow(principal))
        .rateLimiter((principal, address) -> {
          permits.incrementAndGet();
          return Decision.allow(new Quota("default", 10, java.time.Duration.ofMinutes(1), 9, java.time.Duration.ZERO));
        })
        .promptFilter(dev.f2p.core.spi.PromptFilter.acceptAll())
        .imageValidator(Fixtures.imageIo()).resourceGuard(guard).engine(new InvertingEngine())
        .addListener(events);
  }

  private static AdmissionRequest headers(String key) {
    return AdmissionRequest.of(key, "203.0.113.7", "req-7");
  }

  @Test
  void anAdmittedRequestCompletesWithItsBodyOnce() {
    try (ImageEditClient c = client().build()) {
      Admission admission = c.admit(headers(Fixtures.KEY));
      assertThat(admission.isAdmitted()).isTrue();
      assertThat(admission.principal()).hasValueSatisfying(p -> assertThat(p.id()).isEqualTo("alice"));
      assertThat(admission.quota()).hasValueSatisfying(q -> assertThat(q.remaining()).isEqualTo(9));
      assertThat(events.events).isEmpty();

      EditRequest request = admission.requestBuilder().image(Fixtures.png(96, 96)).prompt("a portrait")
          .size(96, 96).steps(2).build();
      assertThat(admission.edit(request)).isInstanceOf(EditResult.Success.class);
      assertThat(events.events).singleElement().satisfies(e -> {
        assertThat(e.stage()).isEqualTo(Stage.COMPLETE);
        assertThat(e.requestId()).contains("req-7");
      });
      assertThatThrownBy(() -> admission.edit(request)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> admission.abandon(Rejection.of(ReasonCode.INVALID_REQUEST)))
          .isInstanceOf(IllegalStateException.class);
      admission.close();
      assertThat(events.events).hasSize(1);
      assertThat(permits).hasValue(1);
    }
  }

  @Test
  void aRefusedAdmissionReturnsItsRefusalAndRunsNothingMore() {
    try (ImageEditClient c = client().build()) {
      Admission admission = c.admit(headers("not-a-key"));
      assertThat(admission.isAdmitted()).isFalse();
      assertThat(admission.rejection()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ReasonCode.UNAUTHENTICATED));
      EditResult.Rejected refusal = admission.result().orElseThrow();
      assertThat(admission.edit(Fixtures.request().apiKey("not-a-key").requestId("req-7").build())).isSameAs(refusal);
      admission.close();
      assertThat(events.events).extracting(SecurityEvent::stage).containsExactly(Stage.AUTHENTICATION, Stage.COMPLETE);
      assertThat(permits).hasValue(0);
      assertThat(guard.held).hasValue(0);
    }
  }

  @Test
  void anAdmissionDroppedWithoutItsBodyEndsWithOneEventAndKeepsItsPermitSpent() {
    try (ImageEditClient c = client().build()) {
      try (Admission admission = c.admit(headers(Fixtures.KEY))) {
        assertThat(admission.isAdmitted()).isTrue();
      }
      assertThat(events.events).singleElement().satisfies(e -> {
        assertThat(e.stage()).isEqualTo(Stage.COMPLETE);
        assertThat(e.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(e.detail()).contains(Admission.ABANDONED);
      });
      assertThat(permits).hasValue(1);

      Admission tooLarge = c.admit(headers(Fixtures.KEY));
      EditResult.Rejected r = tooLarge.abandon(Rejection.of(ReasonCode.INVALID_REQUEST, "BODY_TOO_LARGE", "Too large."));
      assertThat(r.rejection().detail()).isEqualTo("BODY_TOO_LARGE");
      assertThat(r.quota()).isPresent();
      assertThat(permits).hasValue(2);
    }
  }

  @Test
  void aBodyThatIsNotTheAdmittedRequestIsAHostBug() {
    try (ImageEditClient c = client().build(); Admission admission = c.admit(headers(Fixtures.KEY))) {
      EditRequest other = Fixtures.request().requestId("req-8").build();
      assertThatThrownBy(() -> admission.edit(other)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining(Fixtures.KEY);
      EditRequest otherKey = Fixtures.request().apiKey(Fixtures.ADMIN_KEY).requestId("req-7").build();
      assertThatThrownBy(() -> admission.edit(otherKey)).isInstanceOf(IllegalArgumentException.class);
      assertThat(admission.isAdmitted()).isTrue(); // still open: the host may complete it correctly
    }
  }

  @Test
  void aBodyAskingForMoreThanWasAdmittedIsAuthorizedAgain() {
    try (ImageEditClient c = client().build()) {
      Admission admission = c.admit(headers(Fixtures.KEY));
      EditResult result = admission.edit(admission.requestBuilder().image(Fixtures.png(96, 96)).prompt("p")
          .size(512, 512).build());
      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(ReasonCode.FORBIDDEN));
      assertThat(guard.held).hasValue(0);

      Admission declared = c.admit(AdmissionRequest.builder().apiKey(Fixtures.KEY).clientAddress("203.0.113.7")
          .size(512, 512).build());
      assertThat(declared.rejection()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ReasonCode.FORBIDDEN));
      assertThat(permits).hasValue(1);
    }
  }

  @Test
  void addressesReachPoliciesAndEventsInCanonicalFormAggregatedPerPrefix() {
    try (ImageEditClient c = client().build()) {
      c.admit(AdmissionRequest.of(Fixtures.KEY, "0:0:0:0:0:0:0:1", "a")).close();
      c.admit(AdmissionRequest.of(Fixtures.KEY, "::ffff:192.0.2.1", "b")).close();
      c.admit(AdmissionRequest.of(Fixtures.KEY, "2001:DB8:0:1:aaaa::1", "c")).close();
      c.admit(AdmissionRequest.of(Fixtures.KEY, "2001:db8:0:1:bbbb::2", "d")).close();
      assertThat(addressesSeen).containsExactly("::/64", "192.0.2.1", "2001:db8:0:1::/64", "2001:db8:0:1::/64");
      assertThat(events.events).extracting(e -> e.clientAddress().orElseThrow())
          .containsExactly("::/64", "192.0.2.1", "2001:db8:0:1::/64", "2001:db8:0:1::/64");
      assertThat(c.addressSubject("2001:db8:0:1:cccc::9")).contains("2001:db8:0:1::/64");
    }
    addressesSeen.clear();
    try (ImageEditClient c = client().ipv6Prefix(48).build()) {
      c.admit(AdmissionRequest.of(Fixtures.KEY, "2001:db8:0:1::1", "e")).close();
      assertThat(addressesSeen).containsExactly("2001:db8::/48");
    }
  }

  @Test
  void anAddressThatIsNotAnIpLiteralIsRefusedBeforeAuthentication() {
    try (ImageEditClient c = client().build()) {
      for (String bad : List.of("127.0.0.088", "1:2", "::::", "localhost", "192.0.2.1:8080", "[::1]", "fe80::1%eth0")) {
        Admission a = c.admit(AdmissionRequest.of(Fixtures.KEY, bad, "r"));
        assertThat(a.rejection()).as(bad).hasValueSatisfying(r -> {
          assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_REQUEST);
          assertThat(r.detail()).isEqualTo(ClientAddress.INVALID_ADDRESS);
        });
        assertThat(c.edit(Fixtures.request().clientAddress(bad).build())).isInstanceOfSatisfying(EditResult.Rejected.class,
            r -> assertThat(r.rejection().detail()).isEqualTo(ClientAddress.INVALID_ADDRESS));
        assertThat(c.authorizeAdmin(Fixtures.ADMIN_KEY, bad, "lockdown").isAllowed()).isFalse();
      }
      assertThat(addressesSeen).isEmpty();
    }
  }

  @Test
  void badHeaderPartsAreRefusedWithTheValidatorsWordsBeforeAuthentication() {
    try (ImageEditClient c = client().build()) {
      Admission badId = c.admit(AdmissionRequest.of(Fixtures.KEY, "203.0.113.7", "bad id"));
      assertThat(badId.rejection()).hasValueSatisfying(r -> {
        assertThat(r.detail()).isEqualTo("CONSTRAINT_VIOLATION");
        assertThat(r.message()).contains("requestId must match");
      });
      Admission tooWide = c.admit(AdmissionRequest.builder().apiKey(Fixtures.KEY).clientAddress("203.0.113.7")
          .size(5000, 64).steps(500).build());
      assertThat(tooWide.rejection()).hasValueSatisfying(r -> assertThat(r.message())
          .contains("width must be less than or equal to 4096").contains("steps must be less than or equal to 150"));
      Admission longKey = c.admit(AdmissionRequest.of("k".repeat(513), "203.0.113.7", "r"));
      assertThat(longKey.rejection()).hasValueSatisfying(r -> assertThat(r.message()).contains("apiKey size"));
      assertThat(addressesSeen).isEmpty();
    }
  }

  @Test
  void theSettingsChooseThePrefixAndRefuseABadOne() {
    assertThatThrownBy(() -> client().configure(java.util.Map.of("f2p.client-address.ipv6-prefix", "129")).build())
        .isInstanceOf(F2pConfigurationException.class)
        .hasMessageContaining("f2p.client-address.ipv6-prefix").hasMessageContaining("129");
    try (ImageEditClient c = client().configure(java.util.Map.of("f2p.client-address.ipv6-prefix", "48")).build()) {
      assertThat(c.addressSubject("2001:db8:1:2::7")).contains("2001:db8:1::/48");
    }
  }
}
