package dev.f2p.security.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.Lease;
import dev.f2p.testing.Await;
import dev.f2p.testing.TestClients;
import dev.f2p.testing.TestClients.ScriptedEngine;
import dev.f2p.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ten times the capacity, offered at once from many threads, directly and through a client whose
 * engine is slow or faulty: the excess is refused without waiting, the admitted finish, and afterwards
 * no slot, queue entry, lease or thread is left.
 */
class GuardOverloadTest {
  private static final String POOL = "overload-test-";
  private static final int SLOTS = 2;
  private static final int QUEUE = 2;
  private static final int OFFERED = 10 * (SLOTS + QUEUE);
  private static final Duration MAX_WAIT = Duration.ofSeconds(20);

  private final AtomicInteger threadNumber = new AtomicInteger();
  private final ExecutorService pool = Executors.newFixedThreadPool(OFFERED,
      r -> new Thread(r, POOL + threadNumber.incrementAndGet()));

  private static StandardResourceGuard guard() {
    return StandardResourceGuard.builder().devices(1).slotsPerDevice(SLOTS).queue(QUEUE).maxWait(MAX_WAIT)
        .minHeapFree(0).build();
  }

  @AfterEach
  void noThreadLeft() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    Await.until("the test's threads are gone",
        () -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith(POOL)));
    assertThat(Thread.getAllStackTraces().values().stream().flatMap(Stream::of)
        .anyMatch(f -> f.getClassName().startsWith(StandardResourceGuard.class.getName())))
        .as("no thread is inside the guard").isFalse();
  }

  @Test
  void tenTimesCapacityDirectlyExcessIsRefusedWithoutWaiting() throws Exception {
    StandardResourceGuard g = guard();
    Principal user = new Principal("alice", Set.of(Role.USER), "k");
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<long[]>> results = new ArrayList<>();
    for (int i = 0; i < OFFERED; i++) {
      results.add(pool.submit(() -> {
        long start = System.nanoTime();
        Decision<Lease> d = g.acquire(user, TestClients.request(TestClients.ALICE_KEY).build());
        long waited = System.nanoTime() - start;
        if (d instanceof Decision.Allowed<Lease> a) {
          try (Lease lease = a.value()) {
            gate.await();
            lease.engineSucceeded();
          }
          return new long[] {1, waited};
        }
        return new long[] {0, waited};
      }));
    }
    Await.until("slots and queue are full and the rest refused", () ->
        g.slotsInUse() == SLOTS && g.queueLength() == QUEUE
            && results.stream().filter(Future::isDone).count() == OFFERED - SLOTS - QUEUE);
    for (Future<long[]> f : results) {
      if (f.isDone()) {
        assertThat(f.get()[0]).isZero();
        assertThat(f.get()[1]).as("a refusal never waits for max-wait").isLessThan(MAX_WAIT.toNanos() / 4);
      }
    }
    gate.countDown();
    long admitted = 0;
    for (Future<long[]> f : results) {
      admitted += f.get(20, TimeUnit.SECONDS)[0];
    }
    assertThat(admitted).isEqualTo(SLOTS + QUEUE);
    assertThat(g.slotsInUse()).isZero();
    assertThat(g.queueLength()).isZero();
    assertThat(g.costInFlight()).isZero();
  }

  @Test
  void tenTimesCapacityThroughTheClientWithASlowEngine() throws Exception {
    StandardResourceGuard g = guard();
    ScriptedEngine engine = new ScriptedEngine();
    CountDownLatch gate = new CountDownLatch(1);
    engine.behaviour = r -> {
      gate.await();
      return ScriptedEngine.blank(r);
    };
    try (ImageEditClient client = TestClients.client(new TestClients.Keys(), g, engine).build()) {
      List<Future<EditResult>> results = new ArrayList<>();
      for (int i = 0; i < OFFERED; i++) {
        results.add(pool.submit(() -> client.edit(TestClients.request(TestClients.ALICE_KEY).build())));
      }
      Await.until("slots and queue full, the rest refused", () -> g.slotsInUse() == SLOTS && g.queueLength() == QUEUE
          && results.stream().filter(Future::isDone).count() == OFFERED - SLOTS - QUEUE);
      gate.countDown();
      int ok = 0;
      for (Future<EditResult> f : results) {
        EditResult r = f.get(20, TimeUnit.SECONDS);
        if (r instanceof EditResult.Success) {
          ok++;
        } else {
          EditResult.Rejected rejected = (EditResult.Rejected) r;
          assertThat(rejected.rejection().reason()).isEqualTo(ReasonCode.OVERLOADED);
          assertThat(rejected.rejection().detail()).isEqualTo(StandardResourceGuard.QUEUE_FULL);
          assertThat(rejected.rejection().retryAfter()).isPresent();
          assertThat(rejected.elapsed()).isLessThan(MAX_WAIT.dividedBy(4));
        }
      }
      assertThat(ok).isEqualTo(SLOTS + QUEUE);
      assertThat(engine.calls).hasValue(SLOTS + QUEUE);
    }
    assertThat(g.slotsInUse()).isZero();
    assertThat(g.queueLength()).isZero();
    assertThat(g.costInFlight()).isZero();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of("throws", (TestClients.Behaviour) r -> {
          throw new IllegalStateException("CUDA error: an illegal memory access");
        }, ReasonCode.ENGINE_FAILURE, true),
        Arguments.of("fails", (TestClients.Behaviour) r -> {
          throw new EngineException(ReasonCode.ENGINE_FAILURE, "nan in latents");
        }, ReasonCode.ENGINE_FAILURE, true),
        Arguments.of("returns null", (TestClients.Behaviour) r -> null, ReasonCode.ENGINE_FAILURE, true),
        Arguments.of("stops at its deadline", (TestClients.Behaviour) r -> {
          throw new EngineException(ReasonCode.TIMEOUT, "deadline passed at step 3");
        }, ReasonCode.TIMEOUT, false),
        Arguments.of("is unavailable", (TestClients.Behaviour) r -> {
          throw new EngineException(ReasonCode.ENGINE_UNAVAILABLE, "model unloaded");
        }, ReasonCode.ENGINE_UNAVAILABLE, false));
  }

  @ParameterizedTest(name = "an engine that {0}")
  @MethodSource("faults")
  void leasesAreReleasedWhenTheEngineFaults(String name, TestClients.Behaviour fault, ReasonCode expected,
      boolean countsAsFailure) throws Exception {
    StandardResourceGuard g = StandardResourceGuard.builder().slotsPerDevice(SLOTS).queue(OFFERED)
        .maxWait(MAX_WAIT).minHeapFree(0).breakerFailures(1_000).build();
    ScriptedEngine engine = new ScriptedEngine();
    engine.behaviour = fault;
    try (ImageEditClient client = TestClients.client(new TestClients.Keys(), g, engine).build()) {
      List<Future<EditResult>> results = new ArrayList<>();
      for (int i = 0; i < OFFERED; i++) {
        results.add(pool.submit(() -> client.edit(TestClients.request(TestClients.ALICE_KEY).build())));
      }
      for (Future<EditResult> f : results) {
        EditResult r = f.get(20, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(EditResult.Rejected.class);
        assertThat(((EditResult.Rejected) r).rejection().reason()).isEqualTo(expected);
      }
    }
    assertThat(engine.calls).hasValue(OFFERED);
    assertThat(g.slotsInUse()).isZero();
    assertThat(g.queueLength()).isZero();
    assertThat(g.circuitState()).isEqualTo(StandardResourceGuard.CircuitState.CLOSED);
    if (countsAsFailure) {
      // The same faults with a low threshold open the circuit: the breaker heard about them.
      StandardResourceGuard tight = StandardResourceGuard.builder().minHeapFree(0).breakerFailures(2).build();
      try (ImageEditClient client = TestClients.client(new TestClients.Keys(), tight, engine).build()) {
        client.edit(TestClients.request(TestClients.ALICE_KEY).build());
        client.edit(TestClients.request(TestClients.ALICE_KEY).build());
        EditResult third = client.edit(TestClients.request(TestClients.ALICE_KEY).build());
        assertThat(((EditResult.Rejected) third).rejection().detail()).isEqualTo(StandardResourceGuard.CIRCUIT_OPEN);
      }
      assertThat(tight.slotsInUse()).isZero();
    }
  }

  @Test
  void anEngineThatRunsPastTheDeadlineGetsTimeoutAndTheDeadlineReachesIt() throws Exception {
    TestClock clock = new TestClock();
    StandardResourceGuard g = StandardResourceGuard.builder().clock(clock).ticker(clock).minHeapFree(0)
        .deadline(Duration.ofSeconds(30)).maxWait(Duration.ZERO).build();
    ScriptedEngine engine = new ScriptedEngine();
    List<Boolean> pastDeadline = new ArrayList<>();
    engine.behaviour = r -> {
      assertThat(r.deadline()).isEqualTo(clock.instant().plusSeconds(30));
      pastDeadline.add(r.isPastDeadline());
      clock.advance(Duration.ofSeconds(31));
      pastDeadline.add(r.isPastDeadline());
      return ScriptedEngine.blank(r);
    };
    try (ImageEditClient client = TestClients.client(new TestClients.Keys(), g, engine).clock(clock).build()) {
      EditResult r = client.edit(TestClients.request(TestClients.ALICE_KEY).build());
      assertThat(((EditResult.Rejected) r).rejection().reason()).isEqualTo(ReasonCode.TIMEOUT);
    }
    assertThat(pastDeadline).containsExactly(false, true);
    assertThat(g.slotsInUse()).isZero();
  }
}
