package dev.f2p.security.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Decision;
import dev.f2p.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class ApiKeyAuthenticatorTest {
  private static final String ADDRESS = "203.0.113.5";

  private final TestClock clock = new TestClock();
  private final CountingStore store = new CountingStore();
  private final KeyHasher hasher = KeyHasher.hmacSha256("a pepper of at least sixteen bytes".getBytes(StandardCharsets.UTF_8));
  private final ApiKeys keys = new ApiKeys(store, hasher, clock);
  private final LockoutPolicy lockout = LockoutPolicy.builder().threshold(3).keyThreshold(5)
      .baseLockout(Duration.ofMinutes(1)).maxLockout(Duration.ofMinutes(8)).window(Duration.ofMinutes(10)).build();
  private final ApiKeyAuthenticator auth = ApiKeyAuthenticator.builder().store(store).hasher(hasher).clock(clock)
      .lockout(lockout).build();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  ApiKeyAuthenticatorTest() {
    log.start();
    ((Logger) LoggerFactory.getLogger(ApiKeyAuthenticator.class)).addAppender(log);
  }

  @AfterEach
  void detach() {
    ((Logger) LoggerFactory.getLogger(ApiKeyAuthenticator.class)).detachAppender(log);
  }

  @Test
  void anIssuedKeyAuthenticatesAsItsPrincipalWithItsRolesAndKeyId() {
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    assertThat(issued.key()).matches("f2p_live_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
    assertThat(issued.toString()).doesNotContain(issued.key());
    assertThat(auth.authenticate(issued.key(), ADDRESS))
        .isEqualTo(Decision.allow(new Principal("alice", Set.of(Role.USER), issued.keyId())));
  }

  static Stream<Arguments> badKeys() {
    String good = "f2p_live_abcdefghijkl_" + "A".repeat(43);
    return Stream.of(
        Arguments.of("missing", "", "MISSING"),
        Arguments.of("malformed: wrong prefix", "sk_live_abcdefghijkl_" + "A".repeat(43), "MALFORMED"),
        Arguments.of("malformed: too long", good + "A", "MALFORMED"),
        Arguments.of("malformed: bad characters", "f2p_live_abcdefghijkl_" + "A".repeat(42) + "\n", "MALFORMED"),
        Arguments.of("malformed: upper-case id", "f2p_live_ABCDEFGHIJKL_" + "A".repeat(43), "MALFORMED"),
        Arguments.of("malformed: huge", "x".repeat(100_000), "MALFORMED"),
        Arguments.of("unknown key id", good, "UNKNOWN_KEY"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badKeys")
  void badKeysAreRefusedAlikeAndTheEventSaysWhy(String category, String key, String failure) {
    Decision<Principal> d = auth.authenticate(key, ADDRESS);
    assertThat(rejection(d)).isEqualTo(Rejection.of(ReasonCode.UNAUTHENTICATED, "INVALID_KEY", "Missing or invalid API key."));
    assertThat(d.attributes()).containsEntry("auth.failure", failure);
  }

  @Test
  void aWrongSecretForARealKeyIdIsRefusedLikeAnUnknownKey() {
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    String wrong = issued.key().substring(0, issued.key().length() - 1) + (issued.key().endsWith("A") ? "B" : "A");
    Decision<Principal> d = auth.authenticate(wrong, ADDRESS);
    assertThat(rejection(d).detail()).isEqualTo("INVALID_KEY");
    assertThat(d.attributes()).containsEntry("auth.failure", "WRONG_SECRET");
  }

  @Test
  void revocationTakesEffectOnTheVeryNextRequest() {
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    assertThat(auth.authenticate(issued.key(), ADDRESS).isAllowed()).isTrue();
    assertThat(keys.revoke(issued.keyId())).isTrue();
    Decision<Principal> next = auth.authenticate(issued.key(), ADDRESS);
    assertThat(rejection(next).reason()).isEqualTo(ReasonCode.UNAUTHENTICATED);
    assertThat(next.attributes()).containsEntry("auth.failure", "REVOKED");
    assertThat(keys.revoke(issued.keyId())).isFalse();
  }

  @Test
  void afterRotationBothKeysWorkDuringTheGraceAndOnlyTheNewOneAfter() {
    IssuedKey old = keys.issue("alice", Set.of(Role.USER, Role.TRIAL), Optional.empty());
    IssuedKey fresh = keys.rotate(old.keyId(), Duration.ofHours(1)).orElseThrow();
    assertThat(fresh.record().principalId()).isEqualTo("alice");
    assertThat(fresh.record().roles()).containsExactlyInAnyOrder(Role.USER, Role.TRIAL);

    clock.advance(Duration.ofMinutes(59));
    assertThat(auth.authenticate(old.key(), ADDRESS).isAllowed()).isTrue();
    assertThat(auth.authenticate(fresh.key(), ADDRESS).isAllowed()).isTrue();

    clock.advance(Duration.ofMinutes(1));
    Decision<Principal> expired = auth.authenticate(old.key(), ADDRESS);
    assertThat(expired.attributes()).containsEntry("auth.failure", "EXPIRED");
    assertThat(auth.authenticate(fresh.key(), ADDRESS).isAllowed()).isTrue();
    assertThat(keys.rotate(old.keyId(), Duration.ZERO)).isEmpty();
  }

  @Test
  void aKeyExpiresByTheInjectedClock() {
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.of(Duration.ofDays(30)));
    clock.advance(Duration.ofDays(30).minusMillis(1));
    assertThat(auth.authenticate(issued.key(), ADDRESS).isAllowed()).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(auth.authenticate(issued.key(), ADDRESS).isAllowed()).isFalse();
  }

  @Test
  void lockoutGrowsExponentiallyUpToTheCap() {
    for (int i = 0; i < 3; i++) {
      auth.authenticate("nope", ADDRESS);
    }
    List<Duration> lockouts = new java.util.ArrayList<>();
    for (int round = 0; round < 5; round++) {
      Rejection locked = rejection(auth.authenticate("nope", ADDRESS));
      assertThat(locked.detail()).isEqualTo("ADDRESS_LOCKED");
      assertThat(locked.httpStatus()).isEqualTo(429);
      Duration left = locked.retryAfter().orElseThrow();
      lockouts.add(left);
      clock.advance(left);
      // The lockout is over: the next failure locks again, for longer.
      assertThat(rejection(auth.authenticate("nope", ADDRESS)).detail()).isEqualTo("INVALID_KEY");
    }
    assertThat(lockouts).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
        Duration.ofMinutes(8), Duration.ofMinutes(8));
  }

  @Test
  void aLockedOutAddressIsRefusedBeforeAnyLookupOrHashingEvenWithAGoodKey() {
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    for (int i = 0; i < 3; i++) {
      auth.authenticate("f2p_live_zzzzzzzzzzzz_" + "A".repeat(43), ADDRESS);
    }
    int lookups = store.finds.get();
    assertThat(rejection(auth.authenticate(issued.key(), ADDRESS)).detail()).isEqualTo("ADDRESS_LOCKED");
    assertThat(store.finds.get()).isEqualTo(lookups);
    // Another address is not locked out.
    assertThat(auth.authenticate(issued.key(), "203.0.113.6").isAllowed()).isTrue();
  }

  @Test
  void theLockoutIsLoggedAtWarnWithoutTheKey() {
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    String wrong = issued.key().substring(0, 40) + "x".repeat(issued.key().length() - 40);
    for (int i = 0; i < 3; i++) {
      auth.authenticate(wrong, ADDRESS);
    }
    assertThat(log.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains(ADDRESS).contains("Locking out address");
    });
    assertThat(log.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(wrong).doesNotContain(issued.key()));
  }

  @Test
  void wrongSecretsAimedAtAKeyIdLockOutTheGuessersNeverTheKeyAndRaiseAnAlert() {
    IssuedKey admin = keys.issue("root", Set.of(Role.ADMIN), Optional.empty());
    String wrong = admin.key().substring(0, 40) + "x".repeat(admin.key().length() - 40);
    List<SecurityEvent> events = new ArrayList<>();
    auth.attach(events::add);
    for (int i = 0; i < 24; i++) {
      auth.authenticate(wrong, "198.51.100." + (i % 8));
    }
    // Every guessing address is locked out, even with the right key...
    assertThat(rejection(auth.authenticate(admin.key(), "198.51.100.1")).detail()).isEqualTo("ADDRESS_LOCKED");
    // ...but the owner, from any other address, is not.
    assertThat(auth.authenticate(admin.key(), "192.0.2.10").isAllowed()).isTrue();
    assertThat(auth.authenticate(admin.key(), "2001:db8:77::1").isAllowed()).isTrue();
    // 24 wrong secrets with a key threshold of 5: four alerts, each naming the key id and the owner only.
    assertThat(events).hasSize(4).allSatisfy(e -> {
      assertThat(e.stage()).isEqualTo(Stage.AUTHENTICATION);
      assertThat(e.outcome()).isEqualTo(Outcome.NOTICE);
      assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(e.reason()).contains(ReasonCode.UNAUTHENTICATED);
      assertThat(e.detail()).contains(ApiKeyAuthenticator.KEY_UNDER_ATTACK);
      assertThat(e.keyId()).contains(admin.keyId());
      assertThat(e.principalId()).contains("root");
      assertThat(e.toString() + e.attributes()).doesNotContain(wrong).doesNotContain(admin.key());
    });
    assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("Key id " + admin.keyId())
        .contains("under attack"));
  }

  @Test
  void aStaleButGenuineKeyDoesNotLockItsAddressOut() {
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    keys.revoke(issued.keyId());
    for (int i = 0; i < 10; i++) {
      auth.authenticate(issued.key(), ADDRESS);
    }
    IssuedKey other = keys.issue("bob", Set.of(Role.USER), Optional.empty());
    assertThat(auth.authenticate(other.key(), ADDRESS).isAllowed()).isTrue();
  }

  @Test
  void theFailureCountDecaysAfterTheWindow() {
    auth.authenticate("nope", ADDRESS);
    auth.authenticate("nope", ADDRESS);
    clock.advance(Duration.ofMinutes(11));
    auth.authenticate("nope", ADDRESS);
    auth.authenticate("nope", ADDRESS);
    assertThat(rejection(auth.authenticate("nope", ADDRESS)).detail()).isEqualTo("INVALID_KEY");
  }

  @Test
  void lockoutStateStaysBoundedWhateverTheNumberOfAddresses() {
    LocalLockoutStore small = new LocalLockoutStore(100, Duration.ofHours(1), clock);
    ApiKeyAuthenticator bounded = ApiKeyAuthenticator.builder().store(store).hasher(hasher).clock(clock)
        .lockout(lockout).lockoutStore(small).build();
    for (int i = 0; i < 10_000; i++) {
      bounded.authenticate("nope", "2001:db8::" + Integer.toHexString(i));
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(small.trackedSubjects()).isLessThanOrEqualTo(100);
  }

  @Test
  void aFloodOfNewAddressesDoesNotEvictALockoutInForceThatKeepsKnocking() {
    LocalLockoutStore small = new LocalLockoutStore(100, Duration.ofHours(1), clock);
    ApiKeyAuthenticator bounded = ApiKeyAuthenticator.builder().store(store).hasher(hasher).clock(clock)
        .lockout(lockout).lockoutStore(small).build();
    for (int i = 0; i < 3; i++) {
      bounded.authenticate("nope", ADDRESS);
    }
    for (int i = 0; i < 1_000; i++) {
      bounded.authenticate("nope", "2001:db8::" + Integer.toHexString(i));
      clock.advance(Duration.ofMillis(10));
      if (i % 10 == 0) {
        assertThat(rejection(bounded.authenticate("nope", ADDRESS)).detail()).isEqualTo("ADDRESS_LOCKED");
      }
    }
  }

  /** Issue 18, finding 6, for lockouts: a quiet locked-out address survives a flood of 200,000 new ones. */
  @Test
  void aLockoutInForceSurvivesAFloodOf200000NewAddressesWithoutKnocking() {
    LocalLockoutStore bounded = LocalLockoutStore.forPolicy(lockout, 100_000, clock);
    ApiKeyAuthenticator auth = ApiKeyAuthenticator.builder().store(store).hasher(hasher).clock(clock)
        .lockout(lockout).lockoutStore(bounded).build();
    for (int i = 0; i < 3; i++) {
      auth.authenticate("nope", ADDRESS);
    }
    for (int i = 0; i < 200_000; i++) {
      auth.authenticate("nope", "2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff) + "::/64");
    }
    assertThat(bounded.trackedSubjects()).isLessThanOrEqualTo(100_000);
    assertThat(rejection(auth.authenticate("nope", ADDRESS)).detail()).isEqualTo("ADDRESS_LOCKED");
  }

  private static Rejection rejection(Decision<Principal> d) {
    assertThat(d).isInstanceOf(Decision.Rejected.class);
    return ((Decision.Rejected<Principal>) d).rejection();
  }

  /** Counts lookups, to prove a locked-out caller costs none. */
  static final class CountingStore implements ApiKeyStore {
    final InMemoryApiKeyStore delegate = new InMemoryApiKeyStore();
    final AtomicInteger finds = new AtomicInteger();

    @Override
    public Optional<ApiKeyRecord> find(String keyId) {
      finds.incrementAndGet();
      return delegate.find(keyId);
    }

    @Override
    public List<ApiKeyRecord> list() {
      return delegate.list();
    }

    @Override
    public void save(List<ApiKeyRecord> records) {
      delegate.save(records);
    }
  }
}
