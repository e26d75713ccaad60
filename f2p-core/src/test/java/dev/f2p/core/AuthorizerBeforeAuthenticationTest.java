package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.Fixtures.CountingGuard;
import dev.f2p.core.testing.Fixtures.InvertingEngine;
import dev.f2p.testing.TestClients;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A feature that decides before and after authentication and watches events is registered once, as an authorizer. */
class AuthorizerBeforeAuthenticationTest {
  private static final String BLOCKED = "198.51.100.9";
  private static final Rejection BLOCK = Rejection.of(ReasonCode.FORBIDDEN, "ADDRESS_BLOCKED",
      ReasonCode.FORBIDDEN.safeMessage());

  /** Refuses one address before authentication and records the events it is told. */
  static final class Blocker implements Authorizer, SecurityEventListener {
    final List<SecurityEvent> seen = new CopyOnWriteArrayList<>();

    @Override
    public Decision<String> beforeAuthentication(String clientAddress) {
      return BLOCKED.equals(clientAddress) ? Decision.reject(BLOCK) : Decision.allow(clientAddress);
    }

    @Override
    public Decision<Principal> authorize(Principal principal, EditRequest request) {
      return Decision.allow(principal);
    }

    @Override
    public void onEvent(SecurityEvent event) {
      seen.add(event);
    }
  }

  private final AtomicInteger authentications = new AtomicInteger();
  private final TestClients.Recorder events = new TestClients.Recorder();

  private ImageEditClient client(Blocker blocker, boolean alsoAsListener) {
    // The fixture's authenticator, counted: a refused address must never reach it.
    ImageEditClient.Builder b = ImageEditClient.builder();
    b.authenticator((key, address) -> {
      authentications.incrementAndGet();
      return Fixtures.oneKey().authenticate(key, address);
    });
    b.rateLimiter(dev.f2p.core.spi.RateLimiter.unlimited()).promptFilter(dev.f2p.core.spi.PromptFilter.acceptAll())
        .imageValidator(Fixtures.imageIo()).resourceGuard(new CountingGuard()).engine(new InvertingEngine())
        .addAuthorizer(blocker).addListener(events);
    if (alsoAsListener) {
      b.addListener(blocker);
    }
    return b.build();
  }

  @Test
  void aRefusalBeforeAuthenticationNeverReachesTheAuthenticatorAndIsAnAuthenticationEvent() {
    Blocker blocker = new Blocker();
    try (ImageEditClient client = client(blocker, false)) {
      EditResult refused = client.edit(Fixtures.request().clientAddress(BLOCKED).build());
      assertThat(((EditResult.Rejected) refused).rejection()).isEqualTo(BLOCK);
      assertThat(authentications).hasValue(0);
      assertThat(events.events).anyMatch(e -> e.stage() == Stage.AUTHENTICATION && e.outcome() == Outcome.REJECTED
          && e.detail().equals(java.util.Optional.of("ADDRESS_BLOCKED")));
      assertThat(client.authorizeAdmin(Fixtures.ADMIN_KEY, BLOCKED, "lockdown")).isInstanceOf(Decision.Rejected.class);
      assertThat(authentications).hasValue(0);

      assertThat(client.edit(Fixtures.request().build())).isInstanceOf(EditResult.Success.class);
      assertThat(authentications).hasValue(1);
    }
  }

  @Test
  void anAuthorizerThatListensIsToldEveryEventOnceEvenWhenAlsoAddedAsAListener() {
    for (boolean alsoAsListener : new boolean[] {false, true}) {
      Blocker blocker = new Blocker();
      events.events.clear();
      try (ImageEditClient client = client(blocker, alsoAsListener)) {
        client.edit(Fixtures.request().build());
        assertThat(blocker.seen).as("also a listener: %s", alsoAsListener).hasSize(events.events.size())
            .filteredOn(e -> e.stage() == Stage.COMPLETE).hasSize(1);
      }
    }
  }
}
