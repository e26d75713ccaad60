package dev.f2p.security.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.guard.StandardResourceGuard.CircuitState;
import dev.f2p.security.guard.StandardResourceGuard.DeviceLease;
import dev.f2p.testing.Await;
import dev.f2p.testing.TestClients;
import dev.f2p.testing.TestClock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StandardResourceGuardTest {
  private static final Principal USER = new Principal("alice", Set.of(Role.USER), "k_alice");
  private static final Principal TRIAL = new Principal("bob", Set.of(Role.TRIAL), "k_bob");
  private static final EditRequest SMALL = TestClients.request(TestClients.ALICE_KEY).size(64, 64).steps(2).build();

  private final TestClock clock = new TestClock();

  private StandardResourceGuard.Builder guard() {
    return StandardResourceGuard.builder().clock(clock).ticker(clock).minHeapFree(0);
  }

  private static DeviceLease admitted(Decision<Lease> d) {
    assertThat(d).isInstanceOf(Decision.Allowed.class);
    return (DeviceLease) ((Decision.Allowed<Lease>) d).value();
  }

  private static Rejection refused(Decision<Lease> d, String detail) {
    assertThat(d).isInstanceOf(Decision.Rejected.class);
    Rejection r = ((Decision.Rejected<Lease>) d).rejection();
    assertThat(r.reason()).isEqualTo(ReasonCode.OVERLOADED);
    assertThat(r.detail()).isEqualTo(detail);
    assertThat(r.httpStatus()).isEqualTo(503);
    assertThat(r.retryAfter()).as("every OVERLOADED carries a retry-after").isPresent();
    return r;
  }

  @Test
  void admitsUpToItsSlotsThenRefusesWhenTheQueueIsFull() {
    StandardResourceGuard g = guard().slotsPerDevice(2).queue(0).build();
    DeviceLease a = admitted(g.acquire(USER, SMALL));
    DeviceLease b = admitted(g.acquire(USER, SMALL));
    refused(g.acquire(USER, SMALL), StandardResourceGuard.QUEUE_FULL);
    assertThat(g.slotsInUse()).isEqualTo(2);
    a.close();
    a.close();
    assertThat(g.slotsInUse()).as("closing twice gives back one slot").isEqualTo(1);
    admitted(g.acquire(USER, SMALL)).close();
    b.close();
    assertThat(g.slotsInUse()).isZero();
    assertThat(g.costInFlight()).isZero();
  }

  @Test
  void theDeadlineIsArrivalPlusTheConfiguredDeadlineDefaultThirtySeconds() {
    Lease lease = admitted(guard().build().acquire(USER, SMALL));
    assertThat(lease.deadline()).isEqualTo(clock.instant().plus(Duration.ofSeconds(30)));
    assertThat(StandardResourceGuard.DEFAULT_DEADLINE).isEqualTo(Duration.ofSeconds(30));
    Lease shorter = admitted(guard().deadline(Duration.ofSeconds(7)).maxWait(Duration.ZERO).build().acquire(USER, SMALL));
    assertThat(shorter.deadline()).isEqualTo(clock.instant().plusSeconds(7));
  }

  @Test
  void leasesArePlacedOnTheLeastLoadedDevice() {
    StandardResourceGuard g = guard().devices(3).slotsPerDevice(2).build();
    int[] count = new int[3];
    for (int i = 0; i < 6; i++) {
      count[admitted(g.acquire(USER, SMALL)).deviceIndex()]++;
    }
    assertThat(count).containsExactly(2, 2, 2);
    assertThat(g.capacity()).isEqualTo(6);
  }

  @Test
  void theLeaseNamesItsDeviceForTheEngineAndTheMetricsViewAgrees() {
    StandardResourceGuard g = guard().devices(2).slotsPerDevice(1).build();
    DeviceLease first = admitted(g.acquire(USER, SMALL));
    assertThat(first.device()).hasValue(first.deviceIndex());
    assertThat(g.metrics()).contains(new dev.f2p.core.spi.GuardMetrics(1, 0, 2, 1));
    first.close();
    assertThat(g.metrics().orElseThrow().capacity()).isEqualTo(2);
  }

  @Test
  void minDeviceFreeFromSettingsReadsTheEngineTheGuardIsBuiltForAndAdmitsWhileItIsUnknown() {
    PolicySettings settings = PolicySettings.of(Map.of("min-device-free", "2g", "min-heap-free", "0"));
    EngineOwnsCapacityTest.PlannedEngine engine = new EngineOwnsCapacityTest.PlannedEngine(1);
    StandardResourceGuard g = (StandardResourceGuard) new StandardResourceGuardProvider().create(settings, engine);
    // A CPU engine: free memory unknown, admitted (and said once in the log).
    admitted(g.acquire(USER, SMALL)).close();
    engine.freeMemory.set(OptionalLong.of(1L << 30));
    refused(g.acquire(USER, SMALL), StandardResourceGuard.LOW_MEMORY);
    engine.freeMemory.set(OptionalLong.of(3L << 30));
    admitted(g.acquire(USER, SMALL)).close();
    assertThat(g.capacity()).as("sized from the engine's plan").isEqualTo(1);
    // Without an engine there is nothing to read device memory from: the floor cannot be promised.
    assertThatThrownBy(() -> new StandardResourceGuardProvider().create(settings))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a freeDeviceMemory supplier");
  }

  @Test
  void waitersAreServedInArrivalOrder() throws Exception {
    StandardResourceGuard g = guard().queue(4).maxWait(Duration.ofSeconds(20)).build();
    DeviceLease holder = admitted(g.acquire(USER, SMALL));
    CompletableFuture<Decision<Lease>> first = CompletableFuture.supplyAsync(() -> g.acquire(USER, SMALL));
    Await.until("the first waiter queues", () -> g.queueLength() == 1);
    CompletableFuture<Decision<Lease>> second = CompletableFuture.supplyAsync(() -> g.acquire(USER, SMALL));
    Await.until("the second waiter queues", () -> g.queueLength() == 2);

    holder.close();
    DeviceLease firstLease = admitted(first.get(20, TimeUnit.SECONDS));
    assertThat(second).isNotDone();
    assertThat(g.queueLength()).isEqualTo(1);
    firstLease.close();
    admitted(second.get(20, TimeUnit.SECONDS)).close();
    assertThat(g.slotsInUse()).isZero();
    assertThat(g.queueLength()).isZero();
  }

  @Test
  void aWaiterThatTimesOutLeavesNoTrace() {
    StandardResourceGuard g = guard().queue(1).maxWait(Duration.ofMillis(20)).build();
    DeviceLease holder = admitted(g.acquire(USER, SMALL));
    refused(g.acquire(USER, SMALL), StandardResourceGuard.WAIT_TIMEOUT);
    assertThat(g.queueLength()).isZero();
    holder.close();
    assertThat(g.slotsInUse()).isZero();
    admitted(g.acquire(USER, SMALL)).close();
  }

  @Test
  void anInterruptedWaiterIsRefusedAndKeepsItsInterruptFlag() throws Exception {
    StandardResourceGuard g = guard().queue(1).maxWait(Duration.ofSeconds(20)).build();
    DeviceLease holder = admitted(g.acquire(USER, SMALL));
    AtomicReference<Decision<Lease>> result = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      result.set(g.acquire(USER, SMALL));
      flag.set(Thread.currentThread().isInterrupted());
    });
    waiter.start();
    Await.until("the waiter queues", () -> g.queueLength() == 1);
    waiter.interrupt();
    waiter.join(20_000);
    refused(result.get(), StandardResourceGuard.INTERRUPTED);
    assertThat(flag.get()).isTrue();
    assertThat(g.queueLength()).isZero();
    holder.close();
    assertThat(g.slotsInUse()).isZero();
  }

  @Test
  void aRequestOverItsRolesCostCeilingIsRefused() {
    StandardResourceGuard g = guard().costCeiling(Role.TRIAL, 64 * 64 * 4).costCeiling(Role.USER, 512 * 512 * 50)
        .build();
    EditRequest big = TestClients.request(TestClients.BOB_KEY).size(128, 128).steps(4).build();
    refused(g.acquire(TRIAL, big), StandardResourceGuard.COST_CEILING);
    admitted(g.acquire(USER, big)).close();
    admitted(g.acquire(TRIAL, SMALL)).close();
    Principal roleless = new Principal("svc", Set.of(Role.of("REPORTER")), "k_svc");
    refused(g.acquire(roleless, big), StandardResourceGuard.COST_CEILING);
    assertThat(StandardResourceGuard.cost(big)).isEqualTo(128L * 128 * 4);
  }

  @Test
  void theBudgetBoundsTheCostOfEverythingInFlight() {
    long one = StandardResourceGuard.cost(SMALL);
    StandardResourceGuard g = guard().slotsPerDevice(4).queue(0).budget(2 * one).build();
    DeviceLease a = admitted(g.acquire(USER, SMALL));
    admitted(g.acquire(USER, SMALL));
    refused(g.acquire(USER, SMALL), StandardResourceGuard.BUDGET_EXHAUSTED);
    assertThat(g.costInFlight()).isEqualTo(2 * one);
    a.close();
    admitted(g.acquire(USER, SMALL));
    EditRequest tooBig = TestClients.request(TestClients.ALICE_KEY).size(128, 128).steps(2).build();
    refused(g.acquire(USER, tooBig), StandardResourceGuard.COST_CEILING);
  }

  @Test
  void lowHeapOrDeviceMemoryRefusesNewWork() {
    long[] heap = {1L << 30};
    AtomicReference<OptionalLong> device = new AtomicReference<>(OptionalLong.of(8L << 30));
    StandardResourceGuard g = StandardResourceGuard.builder().clock(clock).ticker(clock)
        .minHeapFree(256L << 20).heapHeadroom(() -> heap[0])
        .minDeviceFree(2L << 30).freeDeviceMemory(device::get).build();
    admitted(g.acquire(USER, SMALL)).close();
    heap[0] = 100L << 20;
    refused(g.acquire(USER, SMALL), StandardResourceGuard.LOW_MEMORY);
    heap[0] = 1L << 30;
    device.set(OptionalLong.of(1L << 30));
    refused(g.acquire(USER, SMALL), StandardResourceGuard.LOW_MEMORY);
    device.set(OptionalLong.empty());
    admitted(g.acquire(USER, SMALL)).close();
    assertThat(g.slotsInUse()).isZero();
  }

  @Test
  void consecutiveFailuresOpenTheCircuitThenExactlyOneProbePasses() {
    StandardResourceGuard g = guard().slotsPerDevice(4).breakerFailures(3).breakerCooldown(Duration.ofSeconds(10))
        .build();
    DeviceLease ok = admitted(g.acquire(USER, SMALL));
    for (int i = 0; i < 2; i++) {
      fail(g);
    }
    ok.engineSucceeded();
    ok.close();
    assertThat(g.circuitState()).as("a success resets the count").isEqualTo(CircuitState.CLOSED);
    for (int i = 0; i < 3; i++) {
      fail(g);
    }
    assertThat(g.circuitState()).isEqualTo(CircuitState.OPEN);
    Rejection open = refused(g.acquire(USER, SMALL), StandardResourceGuard.CIRCUIT_OPEN);
    assertThat(open.retryAfter()).contains(Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(10).plusMillis(1));
    DeviceLease probe = admitted(g.acquire(USER, SMALL));
    assertThat(g.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
    refused(g.acquire(USER, SMALL), StandardResourceGuard.CIRCUIT_OPEN);
    probe.engineFailed();
    probe.close();
    assertThat(g.circuitState()).as("a failed probe opens it again").isEqualTo(CircuitState.OPEN);
    refused(g.acquire(USER, SMALL), StandardResourceGuard.CIRCUIT_OPEN);

    clock.advance(Duration.ofSeconds(11));
    DeviceLease second = admitted(g.acquire(USER, SMALL));
    second.engineSucceeded();
    second.close();
    assertThat(g.circuitState()).isEqualTo(CircuitState.CLOSED);
    admitted(g.acquire(USER, SMALL)).close();
  }

  @Test
  void waitersAreRefusedAtOnceWhenTheCircuitOpens() throws Exception {
    StandardResourceGuard g = guard().queue(2).maxWait(Duration.ofSeconds(20)).breakerFailures(1)
        .breakerCooldown(Duration.ofSeconds(10)).build();
    DeviceLease running = admitted(g.acquire(USER, SMALL));
    CompletableFuture<Decision<Lease>> waiting = CompletableFuture.supplyAsync(() -> g.acquire(USER, SMALL));
    Await.until("the waiter queues", () -> g.queueLength() == 1);
    running.engineFailed();
    running.close();
    Rejection r = refused(waiting.get(20, TimeUnit.SECONDS), StandardResourceGuard.CIRCUIT_OPEN);
    assertThat(r.retryAfter()).contains(Duration.ofSeconds(10));
    assertThat(g.queueLength()).isZero();
    assertThat(g.slotsInUse()).isZero();
  }

  @Test
  void aProbeThatEndsWithoutAVerdictLetsTheNextRequestProbe() {
    StandardResourceGuard g = guard().breakerFailures(1).breakerCooldown(Duration.ofSeconds(5)).build();
    fail(g);
    clock.advance(Duration.ofSeconds(6));
    admitted(g.acquire(USER, SMALL)).close();
    DeviceLease next = admitted(g.acquire(USER, SMALL));
    assertThat(g.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
    next.engineSucceeded();
    next.close();
    assertThat(g.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  private static void fail(StandardResourceGuard g) {
    DeviceLease lease = admitted(g.acquire(USER, SMALL));
    lease.engineFailed();
    lease.close();
  }

  static Stream<Arguments> badOptions() {
    return Stream.of(
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.devices(0), "devices must be 1..1024: 0"),
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.slotsPerDevice(-1), "slotsPerDevice must be"),
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.queue(-3), "queue must be 0..100000: -3"),
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.maxWait(Duration.ofSeconds(40)),
            "maxWait (PT40S) must be shorter than the deadline (PT30S)"),
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.deadline(Duration.ZERO), "deadline must be positive"),
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.budget(0), "budget must be positive: 0"),
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.minDeviceFree(1),
            "minDeviceFree (1) needs a freeDeviceMemory supplier"),
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.breakerFailures(0), "breakerFailures must be"),
        Arguments.of((Consumer<StandardResourceGuard.Builder>) b -> b.costCeiling(Role.USER, 0),
            "cost ceiling for USER must be positive: 0"));
  }

  @ParameterizedTest
  @MethodSource("badOptions")
  void badOptionsFailNamingTheValue(Consumer<StandardResourceGuard.Builder> option, String message) {
    assertThatThrownBy(() -> {
      StandardResourceGuard.Builder b = StandardResourceGuard.builder();
      option.accept(b);
      b.build();
    }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void settingAnOptionTwiceIsAnError() {
    assertThatThrownBy(() -> StandardResourceGuard.builder().queue(1).queue(2))
        .isInstanceOf(IllegalStateException.class).hasMessage("queue was already set");
  }

  @Test
  void theProviderReadsEverySetting() throws Exception {
    PolicySettings settings = PolicySettings.of(Map.ofEntries(
        Map.entry("devices", "2"), Map.entry("slots-per-device", "3"), Map.entry("queue", "0"),
        Map.entry("max-wait", "2s"), Map.entry("deadline", "20s"), Map.entry("cost-ceiling.trial", "100"),
        Map.entry("budget", "1000000"), Map.entry("min-heap-free", "0"), Map.entry("breaker.failures", "2"),
        Map.entry("breaker.cooldown", "1m")));
    StandardResourceGuard g = (StandardResourceGuard) new StandardResourceGuardProvider().create(settings);
    assertThat(g.capacity()).isEqualTo(6);
    refused(g.acquire(TRIAL, SMALL), StandardResourceGuard.COST_CEILING);
    assertThat(g.toString()).contains("devices=2", "queue=0", "maxWait=PT2S", "deadline=PT20S");
    assertThat(settings.shared(StandardResourceGuardProvider.SHARED_KEY, AtomicReference.class, AtomicReference::new)
        .get()).isSameAs(g);
    assertThat(StandardResourceGuardProvider.bytes(settings, "x", "2g")).isEqualTo(2L << 30);
    assertThatThrownBy(() -> new StandardResourceGuardProvider().create(PolicySettings.of(Map.of("queue", "many"))))
        .hasMessageContaining("queue must be a number: many");
    assertThatThrownBy(() -> new StandardResourceGuardProvider().create(
        PolicySettings.of(Map.of("min-heap-free", "lots")))).hasMessageContaining("min-heap-free must be bytes");
  }
}
