package dev.f2p.benchmarks.identity;

import dev.f2p.core.Admission;
import dev.f2p.core.AdmissionRequest;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.security.auth.ApiKeyAuthenticator;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.InMemoryApiKeyStore;
import dev.f2p.security.auth.KeyHasher;
import dev.f2p.security.auth.LockoutPolicy;
import dev.f2p.security.auth.RoleAuthorizer;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.ratelimit.TokenBucketRateLimiter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ImageEditClient.admit} refusing a request on its headers, through the whole client as the HTTP
 * service calls it (request-id and address validation, the address parsed and canonicalized, the
 * incident guard, the API-key authenticator, the rejection and its result): a bad key (an unknown key id)
 * and a blocked address (refused before the key is looked at). Target, median: under 2 us each. Baseline:
 * the authenticator alone refusing the same bad key. The lockout threshold is out of reach so the bad key
 * keeps taking the failure path rather than the (cheaper) locked-out exit. No listeners: a listener's own
 * cost comes on top.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AdmissionBenchmark {
  private static final String ADDRESS = "203.0.113.10";
  private static final String BLOCKED = "2001:db8:66:1::7";

  private ImageEditClient client;
  private ApiKeyAuthenticator authenticator;
  private AdmissionRequest badKey;
  private AdmissionRequest blockedAddress;
  private String unknownKey;

  @Setup
  public void setUp() {
    InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    KeyHasher hasher = KeyHasher.hmacSha256("benchmark pepper, 32 bytes long!".getBytes(StandardCharsets.UTF_8));
    String key = new ApiKeys(store, hasher, Clock.systemUTC()).issue("bench", Set.of(Role.USER), Optional.empty()).key();
    unknownKey = "f2p_live_zzzzzzzzzzzz_" + key.substring(22);
    authenticator = ApiKeyAuthenticator.builder().store(store).hasher(hasher)
        .lockout(LockoutPolicy.builder().threshold(Integer.MAX_VALUE).keyThreshold(0).build()).build();
    IncidentControl incidents = IncidentControl.builder().build();
    incidents.suspendAddress(BLOCKED, Duration.ofDays(1));
    ImageEditEngine engine = new ImageEditEngine() {
      @Override
      public dev.f2p.core.spi.GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) {
        throw new IllegalStateException("admission benchmarks never reach the engine");
      }

      @Override
      public String modelId() {
        return "none";
      }
    };
    client = ImageEditClient.builder().authenticator(authenticator)
        .addAuthorizer(RoleAuthorizer.ofDefaults()).addAuthorizer(incidents)
        .rateLimiter(TokenBucketRateLimiter.builder().build()).promptFilter(PromptFilter.acceptAll())
        .imageValidator((bytes, principal) -> Decision.reject(dev.f2p.core.ReasonCode.IMAGE_REJECTED))
        .resourceGuard(ResourceGuard.unguarded(Duration.ofMinutes(1), Clock.systemUTC())).engine(engine).build();
    badKey = AdmissionRequest.of(unknownKey, ADDRESS, "bench-request-1");
    blockedAddress = AdmissionRequest.of(key, BLOCKED, "bench-request-2");
    if (client.admit(badKey).isAdmitted() || client.admit(blockedAddress).isAdmitted()) {
      throw new IllegalStateException("the benchmark requests must be refused");
    }
  }

  @TearDown
  public void tearDown() {
    client.close();
  }

  @Benchmark
  public Admission refusedBadKey() {
    return client.admit(badKey);
  }

  @Benchmark
  public Admission refusedBlockedAddress() {
    return client.admit(blockedAddress);
  }

  /** Baseline: the authenticator alone refusing the bad key (no pipeline, no address parsing). */
  @Benchmark
  public Object baselineAuthenticatorBadKey() {
    return authenticator.authenticate(unknownKey, ADDRESS);
  }
}
