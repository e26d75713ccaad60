package dev.f2p.benchmarks.redis;

import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.redis.RedisCoordination;
import dev.f2p.security.ratelimit.TokenBucketRateLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The allowed-path rate-limit decision through Redis on loopback: two client threads, each on its own
 * instance (its own {@link RedisCoordination} and connections), both on the same shared buckets,
 * against the local in-memory {@link TokenBucketRateLimiter} as the baseline. Run in throughput mode for
 * decisions per second and sample mode for the p99. Targets: at least 10,000 decisions per second, p99
 * under 2 ms.
 *
 * <p>Starts its own {@code redis-server} (Debian's package) on a free loopback port unless the system
 * property {@code f2p.redis.uri} names one. {@code limits=principal} takes one bucket per decision (the
 * principal's); {@code principal+address} two, as the default configuration does.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(2)
public class RedisRateLimiterBenchmark {
  /** Callers the threads cycle through: different callers, the same shared buckets on both instances. */
  private static final int CALLERS = 256;

  @Param({"principal", "principal+address"})
  public String limits;

  private Process server;
  private final List<RedisCoordination> instances = new java.util.ArrayList<>();
  private RateLimiter[] redisLimiters;
  private RateLimiter local;
  private final Principal[] principals = new Principal[CALLERS];
  private final String[] addresses = new String[CALLERS];
  private final AtomicInteger threads = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String uri = System.getProperty("f2p.redis.uri");
    if (uri == null) {
      int port = freePort();
      server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      awaitPort(port);
      uri = "redis://127.0.0.1:" + port;
    }
    Consumer<TokenBucketRateLimiter.Builder> config = limits.equals("principal")
        ? b -> b.defaultLimits("1000000000/minute").noAddressLimits()
        : b -> b.defaultLimits("1000000000/minute").addressLimits("1000000000/minute");
    redisLimiters = new RateLimiter[2];
    for (int i = 0; i < 2; i++) {
      RedisCoordination redis = RedisCoordination.builder().uri(uri).keyPrefix("bench:")
          .commandTimeout(Duration.ofSeconds(2)).build();
      instances.add(redis);
      redisLimiters[i] = redis.rateLimiter(config);
    }
    TokenBucketRateLimiter.Builder b = TokenBucketRateLimiter.builder();
    config.accept(b);
    local = b.build();
    for (int i = 0; i < CALLERS; i++) {
      principals[i] = new Principal("user-" + i, Set.of(Role.USER), "f2p_kid_" + i);
      addresses[i] = "198.51.100." + i % 250;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    instances.forEach(RedisCoordination::close);
    if (server != null) {
      server.destroy();
    }
  }

  /** Each client thread: its own instance and its own walk over the callers. */
  @State(Scope.Thread)
  public static class Client {
    int instance;
    int next;

    @Setup(Level.Trial)
    public void setUp(RedisRateLimiterBenchmark shared) {
      instance = shared.threads.getAndIncrement() % 2;
      next = instance * 7;
    }
  }

  @Benchmark
  public Decision<Quota> redis(Client client) {
    int i = client.next++ & (CALLERS - 1);
    return check(redisLimiters[client.instance].tryAcquire(principals[i], addresses[i]));
  }

  @Benchmark
  public Decision<Quota> localBaseline(Client client) {
    int i = client.next++ & (CALLERS - 1);
    return check(local.tryAcquire(principals[i], addresses[i]));
  }

  private static Decision<Quota> check(Decision<Quota> d) {
    if (!d.isAllowed()) {
      throw new IllegalStateException("the allowed path was refused: " + d);
    }
    return d;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }
}
