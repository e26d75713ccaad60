package dev.f2p.examples.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.security.auth.ApiKeyAuthenticator;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.InMemoryApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHasher;
import dev.f2p.security.auth.LocalLockoutStore;
import dev.f2p.security.auth.LockoutPolicy;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.LockdownMode;
import dev.f2p.testing.TestClients;
import dev.f2p.testing.TestClock;
import dev.f2p.security.ratelimit.LocalBucketStore;
import dev.f2p.security.ratelimit.TokenBucketRateLimiter;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, findings 3 to 6, each as the attack on the policies through the client, written against the
 * API that existed before the fix (so the same file shows the old code failing and the new one holding).
 */
class AbuseFindingsTest {
  private final TestClock clock = new TestClock();
  private final IncidentControl control = IncidentControl.builder().clock(clock).build();
  private final ImageEditClient client = TestClients.client(new TestClients.Keys(),
          ResourceGuard.unguarded(Duration.ofSeconds(30), clock), new TestClients.ScriptedEngine())
      .addAuthorizer(Authorizer.standardRoles()).addAuthorizer(control).clock(clock).build();

  @AfterEach
  void close() {
    client.close();
  }

  /** Finding 3: twenty-odd wrong secrets for the ADMIN key id do not lock its owner out. */
  @Test
  void wrongSecretsAimedAtTheAdminKeyIdDoNotLockOutItsOwner() {
    InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    ApiKeys keys = new ApiKeys(store, KeyHasher.sha256(), clock);
    IssuedKey admin = keys.issue("root", Set.of(Role.ADMIN), Optional.empty());
    ApiKeyAuthenticator auth = ApiKeyAuthenticator.builder().store(store).clock(clock).build();
    String wrong = admin.key().substring(0, admin.key().length() - 6) + "AAAAAA";
    for (int i = 0; i < 25; i++) {
      auth.authenticate(wrong, "198.51.100." + i);
    }
    assertThat(auth.authenticate(admin.key(), "192.0.2.10").isAllowed()).isTrue();
  }

  /** Finding 4: an admin authenticates for admin actions in every lockdown mode, so it can be lifted. */
  @Test
  void anAdminCanAlwaysLiftALockdown() {
    for (LockdownMode mode : LockdownMode.values()) {
      control.lockdown(mode);
      assertThat(client.authorizeAdmin(TestClients.ADMIN_KEY, TestClients.ADDRESS, "end-lockdown").isAllowed())
          .as(mode.name()).isTrue();
    }
  }

  /** Finding 5: a block applies to the address however it is written. */
  @Test
  void aBlockAppliesToTheAddressInEveryWriting() {
    control.suspendAddress("0:0:0:0:0:0:0:1", Duration.ofHours(1));
    EditResult r = client.edit(TestClients.request(TestClients.ALICE_KEY).clientAddress("::1").build());
    assertThat(r.isSuccess()).isFalse();
    EditResult mapped = client.edit(TestClients.request(TestClients.ALICE_KEY).clientAddress("0:0:0:0:0:0:0:1").build());
    assertThat(mapped.isSuccess()).isFalse();
  }

  /** Finding 5: addresses that are not IP literals are refused. */
  @Test
  void junkAddressesAreRefused() {
    for (String junk : new String[] {"127.0.0.088", "1:2", "::::", "example.com", "192.0.2.1:443"}) {
      assertThat(client.edit(TestClients.request(TestClients.ALICE_KEY).clientAddress(junk).build()).isSuccess())
          .as(junk).isFalse();
    }
  }

  /** Finding 6: a second key flooding from 200,000 addresses does not give the first key a fresh bucket. */
  @Test
  void anExhaustedKeyStaysRefusedWhileASecondKeyFloodsFrom200000Addresses() {
    TokenBucketRateLimiter limiter = TokenBucketRateLimiter.builder()
        .store(LocalBucketStore.builder().clock(clock).build()).defaultLimits("10/hour")
        .roleLimits(Role.TRIAL, "1000000/second").addressLimits("100/minute").build();
    Principal a = new Principal("a", Set.of(Role.USER), "ka");
    Principal b = new Principal("b", Set.of(Role.TRIAL), "kb");
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire(a, "192.0.2.1").isAllowed()).isTrue();
    }
    for (int i = 0; i < 200_000; i++) {
      limiter.tryAcquire(b, "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff));
      if (i % 1000 == 0) {
        clock.advance(Duration.ofMillis(50));
      }
    }
    assertThat(limiter.tryAcquire(a, "192.0.2.1")).isInstanceOf(Decision.Rejected.class);
  }

  /** Finding 6 for lockouts: a quiet locked-out address survives a flood of 200,000 new ones. */
  @Test
  void aQuietLockoutSurvivesAFloodOf200000NewAddresses() {
    LockoutPolicy policy = LockoutPolicy.builder().threshold(3).build();
    ApiKeyAuthenticator auth = ApiKeyAuthenticator.builder().store(new InMemoryApiKeyStore()).clock(clock)
        .lockout(policy).lockoutStore(LocalLockoutStore.forPolicy(policy, 100_000, clock)).build();
    for (int i = 0; i < 3; i++) {
      auth.authenticate("nope", "203.0.113.99");
    }
    for (int i = 0; i < 200_000; i++) {
      auth.authenticate("nope", "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff));
    }
    Decision<Principal> d = auth.authenticate("nope", "203.0.113.99");
    assertThat(((Decision.Rejected<Principal>) d).rejection().detail()).isEqualTo("ADDRESS_LOCKED");
  }
}
