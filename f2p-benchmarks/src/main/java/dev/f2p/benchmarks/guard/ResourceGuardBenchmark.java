package dev.f2p.benchmarks.guard;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.security.guard.StandardResourceGuard;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The standard guard's acquire + release, uncontended (target: under 1 microsecond), against
 * {@link ResourceGuard#unguarded} (a deadline and a lease object, nothing else) as the baseline, and
 * with four threads on four slots to show the cost of sharing its lock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ResourceGuardBenchmark {
  private final Principal principal = new Principal("alice", Set.of(Role.USER), "k_alice");
  private final EditRequest request = EditRequest.builder().apiKey("k").clientAddress("203.0.113.7")
      .prompt("a portrait").image(new byte[16]).size(512, 512).steps(20).build();
  private final StandardResourceGuard standard = StandardResourceGuard.builder().devices(1).slotsPerDevice(4)
      .costCeiling(Role.USER, 1024L * 1024 * 50).budget(1L << 40).build();
  private final ResourceGuard unguarded = ResourceGuard.unguarded(Duration.ofSeconds(30), Clock.systemUTC());

  private static Lease lease(Decision<Lease> d) {
    if (d instanceof Decision.Allowed<Lease> a) {
      return a.value();
    }
    throw new IllegalStateException("refused: " + d);
  }

  @Benchmark
  public Lease standardAcquireRelease() {
    Lease lease = lease(standard.acquire(principal, request));
    lease.engineSucceeded();
    lease.close();
    return lease;
  }

  @Benchmark
  public Lease unguardedBaseline() {
    Lease lease = lease(unguarded.acquire(principal, request));
    lease.close();
    return lease;
  }

  @Benchmark
  @Threads(4)
  public Lease standardAcquireReleaseFourThreads() {
    return standardAcquireRelease();
  }
}
