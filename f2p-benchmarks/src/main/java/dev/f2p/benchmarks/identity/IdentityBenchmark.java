package dev.f2p.benchmarks.identity;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.security.auth.ApiKeyAuthenticator;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.InMemoryApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHash;
import dev.f2p.security.auth.KeyHasher;
import dev.f2p.security.auth.LockoutPolicy;
import dev.f2p.security.auth.RoleAuthorizer;
import dev.f2p.security.ratelimit.TokenBucketRateLimiter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Identity and quota per request: authentication (HMAC-SHA256 key hash, lockout check) + authorization
 * (role limits) + rate limit (address and principal buckets) for an allowed request, and the refusal of a
 * bad key (an unknown key id; a right key id with a wrong secret, which costs a hash), on one thread and
 * on two sharing one key. Targets, median: allowed under 5 us, bad key under 2 us. Baseline: the key's
 * HMAC alone, the floor of any allowed request. Quotas are set high so the allowed path stays allowed;
 * the lockout threshold is set out of reach so the bad-key path keeps counting failures instead of
 * taking the (cheaper) locked-out exit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class IdentityBenchmark {
  private static final String ADDRESS = "203.0.113.10";

  private ApiKeyAuthenticator authenticator;
  private RoleAuthorizer authorizer;
  private TokenBucketRateLimiter limiter;
  private KeyHasher hasher;
  private KeyHash storedHash;
  private EditRequest request;
  private String key;
  private String unknownKey;
  private String wrongSecret;

  @Setup
  public void setUp() {
    InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    hasher = KeyHasher.hmacSha256("benchmark pepper, 32 bytes long!".getBytes(StandardCharsets.UTF_8));
    IssuedKey issued = new ApiKeys(store, hasher, Clock.systemUTC()).issue("bench", Set.of(Role.USER), Optional.empty());
    key = issued.key();
    storedHash = issued.record().hash();
    unknownKey = "f2p_live_zzzzzzzzzzzz_" + key.substring(22);
    wrongSecret = key.substring(0, 22) + "A".repeat(key.length() - 22);
    authenticator = ApiKeyAuthenticator.builder().store(store).hasher(hasher)
        .lockout(LockoutPolicy.builder().threshold(Integer.MAX_VALUE).keyThreshold(Integer.MAX_VALUE).build())
        .build();
    authorizer = RoleAuthorizer.ofDefaults();
    limiter = TokenBucketRateLimiter.builder().roleLimits(Role.USER, "1000000000/second")
        .addressLimits("1000000000/second").build();
    request = EditRequest.builder().apiKey(key).clientAddress(ADDRESS).image(new byte[] {1}).prompt("a portrait")
        .size(512, 512).steps(20).build();
  }

  private Object allowedPath() {
    Decision<Principal> who = authenticator.authenticate(key, ADDRESS);
    if (!(who instanceof Decision.Allowed<Principal> a)) {
      throw new IllegalStateException("the benchmark key was refused: " + who);
    }
    Decision<Principal> may = authorizer.authorize(a.value(), request);
    Decision<Quota> quota = limiter.tryAcquire(a.value(), ADDRESS);
    if (!may.isAllowed() || !quota.isAllowed()) {
      throw new IllegalStateException("the benchmark request was refused");
    }
    return quota;
  }

  @Benchmark
  @Threads(1)
  public Object allowed() {
    return allowedPath();
  }

  @Benchmark
  @Threads(2)
  public Object allowedTwoThreads() {
    return allowedPath();
  }

  @Benchmark
  @Threads(1)
  public Object badKeyUnknownId() {
    return authenticator.authenticate(unknownKey, ADDRESS);
  }

  @Benchmark
  @Threads(2)
  public Object badKeyUnknownIdTwoThreads() {
    return authenticator.authenticate(unknownKey, ADDRESS);
  }

  @Benchmark
  @Threads(1)
  public Object badKeyWrongSecret() {
    return authenticator.authenticate(wrongSecret, ADDRESS);
  }

  @Benchmark
  @Threads(2)
  public Object badKeyWrongSecretTwoThreads() {
    return authenticator.authenticate(wrongSecret, ADDRESS);
  }

  /** Baseline: the HMAC of the key and its constant-time comparison, nothing else. */
  @Benchmark
  @Threads(1)
  public boolean baselineKeyHmac() {
    return hasher.matches(key, storedHash);
  }
}
