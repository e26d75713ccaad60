package dev.f2p.security.guard;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.internal.BuilderOptions;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.BreakerState;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GuardMetrics;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.ResourceGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard {@link ResourceGuard}: decides whether one more inference may start now.
 *
 * <ul>
 *   <li><b>Slots</b>: the engine's {@link CapacityPlan} ({@link Builder#capacityPlan}, what the client and
 *       the provider use): each device's own capacity (a DJL engine's devices x predictors per device, a
 *       remote engine's endpoints), leases only on devices available now, and {@link #DEVICES_DOWN} at once
 *       when none is. Or, for an engine that declares none, {@code devices} x {@code slotsPerDevice}. A lease
 *       records the device it was given ({@link DeviceLease#deviceIndex()}), which the engine runs it on.
 *       Fixed at construction: the guard is never resized.
 *   <li><b>Queue</b>: when no slot is free a request waits in a bounded FIFO queue for at most
 *       {@code maxWait}; first come, first served, no barging. A waiter that times out or is interrupted
 *       leaves nothing behind.
 *   <li><b>Cost</b>: {@code width * height * steps}; a per-role ceiling refuses a single request that is
 *       too expensive, a budget bounds the cost of everything in flight.
 *   <li><b>Memory</b>: refuses new work while JVM heap headroom, or the engine's free device memory, is
 *       under a threshold, instead of failing mid-inference.
 *   <li><b>Circuit breaker</b>: after {@code breakerFailures} consecutive engine failures it refuses
 *       everything for {@code breakerCooldown}, then admits exactly one probe; its success closes the
 *       circuit, its failure opens it again.
 * </ul>
 *
 * <p>Every refusal is {@link ReasonCode#OVERLOADED} with a retry-after and one of the detail codes
 * {@link #QUEUE_FULL}, {@link #WAIT_TIMEOUT}, {@link #COST_CEILING}, {@link #BUDGET_EXHAUSTED},
 * {@link #LOW_MEMORY}, {@link #CIRCUIT_OPEN}, {@link #INTERRUPTED} or {@link #DEVICES_DOWN}. The guard starts no thread.
 *
 * <p>Every option has a safe default ({@code DEFAULT_*}); see {@link Builder}.
 *
 * <p>Thread-safe; one instance serves all threads of the client. Time comes from an injectable
 * {@link Clock} (deadlines) and ticker (circuit cool-down), so tests never sleep.
 */
public final class StandardResourceGuard implements ResourceGuard {
  private static final Logger LOG = LoggerFactory.getLogger(StandardResourceGuard.class);
  /** Devices without a capacity plan: one. */
  public static final int DEFAULT_DEVICES = 1;
  /** Inferences at once per device without a capacity plan: one. */
  public static final int DEFAULT_SLOTS_PER_DEVICE = 1;
  /** Requests that may wait for a slot: eight. */
  public static final int DEFAULT_QUEUE = 8;
  /** The longest a request waits for a slot: five seconds. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
  /** A request's deadline from its arrival at the guard: 30 seconds, as the classic deployment's CPU limit. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
  /** Unbounded: set a budget to bound the cost of everything in flight. */
  public static final long DEFAULT_BUDGET = Long.MAX_VALUE;
  /** Free JVM heap under which new work is refused: 64 MiB. */
  public static final long DEFAULT_MIN_HEAP_FREE = 64L * 1024 * 1024;
  /** Free device memory under which new work is refused: 0, off. */
  public static final long DEFAULT_MIN_DEVICE_FREE = 0;
  /** Consecutive engine failures that open the circuit: five. */
  public static final int DEFAULT_BREAKER_FAILURES = 5;
  /** How long an open circuit refuses before one probe: 30 seconds. */
  public static final Duration DEFAULT_BREAKER_COOLDOWN = Duration.ofSeconds(30);
  /** The retry-after of a refusal without a better estimate: one second. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /** Refusal detail: no slot free and the queue is full (or there is no queue). */
  public static final String QUEUE_FULL = "QUEUE_FULL";
  /** Refusal detail: the request waited {@code maxWait} in the queue without a slot. */
  public static final String WAIT_TIMEOUT = "WAIT_TIMEOUT";
  /** Refusal detail: the request alone costs more than its role's ceiling or the whole budget. */
  public static final String COST_CEILING = "COST_CEILING";
  /** Refusal detail: a slot is free but the cost in flight would pass the budget. */
  public static final String BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";
  /** Refusal detail: free JVM heap or free device memory is under its floor. */
  public static final String LOW_MEMORY = "LOW_MEMORY";
  /** Refusal detail: the circuit breaker is open (or its one probe is running). */
  public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
  /** Refusal detail: the waiting thread was interrupted; its interrupt flag is kept. */
  public static final String INTERRUPTED = "INTERRUPTED";
  /** Every device of the engine's {@link CapacityPlan} is down (ejected, not ready, circuit open). */
  public static final String DEVICES_DOWN = "DEVICES_DOWN";

  /** The circuit breaker's state. */
  public enum CircuitState {
    /** Requests pass; consecutive failures are counted. */
    CLOSED,
    /** Everything is refused until the cool-down has passed. */
    OPEN,
    /** One probe is running; everything else is refused until it reports. */
    HALF_OPEN
  }

  private final int devices;
  private final int slotsPerDevice;
  private final int queueCapacity;
  private final long maxWaitNanos;
  private final Duration deadline;
  private final Map<Role, Long> costCeilings;
  private final long budget;
  private final long minHeapFree;
  private final long minDeviceFree;
  private final @Nullable Supplier<OptionalLong> freeDeviceMemory;
  private final AtomicBoolean unknownMemoryWarned = new AtomicBoolean();
  private final LongSupplier heapHeadroom;
  private final int breakerFailures;
  private final long breakerCooldownNanos;
  private final Duration retryAfter;
  private final Clock clock;
  private final LongSupplier ticker;

  // One lock guards all mutable state below: the uncontended path takes it once to acquire and once to
  // release, which is cheaper and far easier to prove than a set of atomics that must agree.
  private final ReentrantLock lock = new ReentrantLock();
  // The engine's plan (null: devices x slotsPerDevice), fixed at construction: one owner of capacity.
  private final @Nullable CapacityPlan plan;
  private final int[] inUse;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private int slotsInUse;
  private long costInFlight;
  private CircuitState circuit = CircuitState.CLOSED;
  private int consecutiveFailures;
  private long openUntilNanos;

  private StandardResourceGuard(Builder b) {
    this.devices = b.devices;
    this.slotsPerDevice = b.slotsPerDevice;
    this.queueCapacity = b.queue;
    this.maxWaitNanos = b.maxWait.toNanos();
    this.deadline = b.deadline;
    this.costCeilings = Map.copyOf(b.costCeilings);
    this.budget = b.budget;
    this.minHeapFree = b.minHeapFree;
    this.minDeviceFree = b.minDeviceFree;
    this.freeDeviceMemory = b.freeDeviceMemory;
    this.heapHeadroom = b.heapHeadroom;
    this.breakerFailures = b.breakerFailures;
    this.breakerCooldownNanos = b.breakerCooldown.toNanos();
    this.retryAfter = b.retryAfter;
    this.clock = b.clock;
    this.ticker = b.ticker;
    CapacityPlan p = b.plan;
    this.plan = p;
    this.inUse = new int[p == null ? devices : p.devices()];
  }

  /**
   * A builder with every option at its default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A guard with every default: one device, one slot, a queue of 8, 5 s wait, 30 s deadline. For an engine
   * that declares its capacity, build with {@link Builder#capacityPlan} instead (as the client does).
   *
   * @return the guard
   */
  public static StandardResourceGuard ofDefaults() {
    return builder().build();
  }

  /**
   * The cost the guard charges for a request: output pixels times steps.
   *
   * @param request the request
   * @return width x height x steps, each at least 1
   */
  public static long cost(EditRequest request) {
    return (long) Math.max(1, request.width()) * Math.max(1, request.height()) * Math.max(1, request.steps());
  }

  /**
   * Admits or refuses; under a {@link CapacityPlan} the decision's attributes name the device granted
   * ({@code device}: its index, {@code device.name}: its name), so the request's events show which server ran it.
   *
   * @param principal the authorized caller; its roles choose the cost ceiling
   * @param request what it asks for; its size and steps are its cost
   * @return allowed with a {@link DeviceLease}, or {@link ReasonCode#OVERLOADED} with a detail and retry-after
   */
  @Override
  public Decision<Lease> acquire(Principal principal, EditRequest request) {
    Decision<Lease> decision = admit(principal, request);
    CapacityPlan p = plan;
    if (p != null && decision instanceof Decision.Allowed<Lease> allowed
        && allowed.value() instanceof DeviceLease lease) {
      return Decision.allow(lease, Map.of("device", Integer.toString(lease.deviceIndex), "device.name",
          p.name(lease.deviceIndex)));
    }
    return decision;
  }

  private Decision<Lease> admit(Principal principal, EditRequest request) {
    long cost = cost(request);
    long ceiling = ceilingFor(principal);
    if (cost > ceiling || cost > budget) {
      return refuse(COST_CEILING, retryAfter);
    }
    if (heapHeadroom.getAsLong() < minHeapFree || deviceMemoryLow()) {
      return refuse(LOW_MEMORY, retryAfter);
    }
    Instant requestDeadline = clock.instant().plus(deadline);
    lock.lock();
    try {
      long now = ticker.getAsLong();
      boolean probe = false;
      switch (circuit) {
        case OPEN -> {
          long remaining = openUntilNanos - now;
          if (remaining > 0) {
            return refuse(CIRCUIT_OPEN, roundUpSeconds(remaining));
          }
          probe = true;
        }
        case HALF_OPEN -> {
          return refuse(CIRCUIT_OPEN, retryAfter);
        }
        case CLOSED -> { }
      }
      if (probe) {
        // Exactly one probe: it skips the queue, and nobody else passes until it reports.
        int device = freeDevice();
        if (device < 0 || costInFlight + cost > budget) {
          return refuse(device < 0 ? QUEUE_FULL : BUDGET_EXHAUSTED, retryAfter);
        }
        circuit = CircuitState.HALF_OPEN;
        return Decision.allow(grant(device, cost, requestDeadline, true));
      }
      CapacityPlan p = plan;
      if (p != null && noneAvailable(p)) {
        return refuse(DEVICES_DOWN, retryAfter);
      }
      if (queue.isEmpty()) {
        int device = freeDevice();
        if (device >= 0 && costInFlight + cost <= budget) {
          return Decision.allow(grant(device, cost, requestDeadline, false));
        }
      }
      if (queue.size() >= queueCapacity || maxWaitNanos == 0) {
        return refuse(freeDevice() >= 0 ? BUDGET_EXHAUSTED : QUEUE_FULL, retryAfter);
      }
      Waiter waiter = new Waiter(cost, requestDeadline, lock.newCondition());
      queue.addLast(waiter);
      return await(waiter);
    } finally {
      lock.unlock();
    }
  }

  /** Waits, holding the lock, until the waiter is granted, times out or is interrupted. */
  private Decision<Lease> await(Waiter waiter) {
    long remaining = maxWaitNanos;
    try {
      while (waiter.lease == null && waiter.refusal == null && remaining > 0) {
        remaining = waiter.signal.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(waiter);
      return refuse(INTERRUPTED, retryAfter);
    }
    if (waiter.lease != null) {
      return Decision.allow(waiter.lease);
    }
    if (waiter.refusal != null) {
      return refuse(waiter.refusal, roundUpSeconds(openUntilNanos - ticker.getAsLong()));
    }
    abandon(waiter);
    return refuse(WAIT_TIMEOUT, retryAfter);
  }

  /** A waiter that gives up leaves no trace: out of the queue, and any slot it was just given goes back. */
  private void abandon(Waiter waiter) {
    queue.remove(waiter);
    if (waiter.lease != null) {
      waiter.lease.close();
    }
    // Its leaving may let the next waiter in (it may have been blocking the head on cost).
    admitWaiters();
  }

  private DeviceLease grant(int device, long cost, Instant leaseDeadline, boolean probe) {
    inUse[device]++;
    slotsInUse++;
    costInFlight += cost;
    return new DeviceLease(this, device, cost, leaseDeadline, probe);
  }

  /** Hands free capacity to waiters strictly in arrival order. Called with the lock held. */
  private void admitWaiters() {
    if (circuit != CircuitState.CLOSED) {
      return;
    }
    Waiter head;
    while ((head = queue.peekFirst()) != null) {
      int device = freeDevice();
      if (device < 0 || costInFlight + head.cost > budget) {
        return;
      }
      queue.pollFirst();
      head.lease = grant(device, head.cost, head.deadline, false);
      head.signal.signal();
    }
  }

  /**
   * The least-loaded device with a free slot, or -1; under a plan, the one with the most free slots among
   * those available now. Called with the lock held.
   */
  private int freeDevice() {
    CapacityPlan p = plan;
    int best = -1;
    int bestFree = 0;
    for (int d = 0; d < inUse.length; d++) {
      int free = (p == null ? slotsPerDevice : p.slots(d)) - inUse[d];
      if (free > 0 && (p == null ? best < 0 || inUse[d] < inUse[best] : free > bestFree && p.available(d))) {
        best = d;
        bestFree = free;
      }
    }
    return best;
  }

  /** Whether the plan has no device up: waiting would only end in a timeout. Called with the lock held. */
  private boolean noneAvailable(CapacityPlan p) {
    for (int d = 0; d < inUse.length; d++) {
      if (p.available(d)) {
        return false;
      }
    }
    return true;
  }

  private static CapacityPlan checked(CapacityPlan plan) {
    int n = plan.devices();
    if (n < 1 || n > 1024) {
      throw new IllegalArgumentException("a capacity plan needs 1..1024 devices: " + n);
    }
    for (int d = 0; d < n; d++) {
      if (plan.slots(d) < 1 || plan.slots(d) > 4096) {
        throw new IllegalArgumentException("device " + d + " must have 1..4096 slots: " + plan.slots(d));
      }
    }
    return plan;
  }

  void release(DeviceLease lease, Verdict verdict) {
    lock.lock();
    try {
      inUse[lease.deviceIndex]--;
      slotsInUse--;
      costInFlight -= lease.cost;
      record(verdict, lease.probe);
      admitWaiters();
    } finally {
      lock.unlock();
    }
  }

  /** Updates the breaker with how the engine did. Called with the lock held. */
  private void record(Verdict verdict, boolean probe) {
    switch (verdict) {
      case SUCCEEDED -> {
        consecutiveFailures = 0;
        if (probe) {
          circuit = CircuitState.CLOSED;
        }
      }
      case FAILED -> {
        consecutiveFailures++;
        if (probe || (circuit == CircuitState.CLOSED && consecutiveFailures >= breakerFailures)) {
          circuit = CircuitState.OPEN;
          openUntilNanos = ticker.getAsLong() + breakerCooldownNanos;
          refuseWaiters();
        }
      }
      case NONE -> {
        if (probe) {
          // The probe proved nothing (a timeout, a refusal): let the next request probe at once.
          circuit = CircuitState.OPEN;
          openUntilNanos = ticker.getAsLong();
        }
      }
    }
  }

  /** An opening circuit refuses everyone already waiting at once, rather than at their max-wait. */
  private void refuseWaiters() {
    Waiter w;
    while ((w = queue.pollFirst()) != null) {
      w.refusal = CIRCUIT_OPEN;
      w.signal.signal();
    }
  }

  private long ceilingFor(Principal principal) {
    if (costCeilings.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long ceiling = -1;
    for (Role role : principal.roles()) {
      Long c = costCeilings.get(role);
      if (c != null) {
        ceiling = Math.max(ceiling, c);
      }
    }
    // Ceilings are configured: a principal holding none of the configured roles gets the smallest.
    return ceiling >= 0 ? ceiling : costCeilings.values().stream().mapToLong(Long::longValue).min().orElseThrow();
  }

  private boolean deviceMemoryLow() {
    if (freeDeviceMemory == null || minDeviceFree <= 0) {
      return false;
    }
    OptionalLong free = freeDeviceMemory.get();
    if (free.isEmpty()) {
      // Unknown (a CPU device, no driver, the engine not built yet): admitted, since refusing would stop a
      // CPU deployment for good; said once, so an operator who set a floor knows it does not apply.
      if (unknownMemoryWarned.compareAndSet(false, true)) {
        LOG.warn("minDeviceFree is {} bytes but the engine cannot tell free device memory; the floor is not applied",
            minDeviceFree);
      }
      return false;
    }
    return free.getAsLong() < minDeviceFree;
  }

  private static Decision<Lease> refuse(String detail, Duration retry) {
    return Decision.reject(Rejection.of(ReasonCode.OVERLOADED, detail, ReasonCode.OVERLOADED.safeMessage())
        .withRetryAfter(retry));
  }

  private static Duration roundUpSeconds(long nanos) {
    return Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
  }

  /**
   * Slots in use, queue length and capacity, read under one lock.
   *
   * @return the snapshot; under a plan its {@code slotsPerDevice} is the most on any one device
   */
  @Override
  public Optional<GuardMetrics> metrics() {
    lock.lock();
    try {
      CapacityPlan p = plan;
      if (p != null) {
        int most = 0;
        for (int d = 0; d < inUse.length; d++) {
          most = Math.max(most, p.slots(d));
        }
        return Optional.of(new GuardMetrics(slotsInUse, queue.size(), inUse.length, most, p.capacity()));
      }
      return Optional.of(new GuardMetrics(slotsInUse, queue.size(), devices, slotsPerDevice));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Inferences running now.
   *
   * @return leases granted and not yet closed
   */
  public int slotsInUse() {
    lock.lock();
    try {
      return slotsInUse;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Requests waiting for a slot now.
   *
   * @return the queue's length
   */
  public int queueLength() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The summed cost of every request holding a lease now.
   *
   * @return width x height x steps, summed
   */
  public long costInFlight() {
    lock.lock();
    try {
      return costInFlight;
    } finally {
      lock.unlock();
    }
  }

  /**
   * All slots on all devices; fixed at construction.
   *
   * @return under a plan the sum of its devices' capacities, else devices x slots per device
   */
  public int capacity() {
    return plan != null ? plan.capacity() : devices * slotsPerDevice;
  }

  /**
   * The breaker for health checks: an open circuit whose cool-down has passed reads PROBE_DUE.
   *
   * @return the breaker's state, always present
   */
  @Override
  public Optional<BreakerState> breakerState() {
    lock.lock();
    try {
      return Optional.of(switch (circuit) {
        case CLOSED -> BreakerState.CLOSED;
        case HALF_OPEN -> BreakerState.HALF_OPEN;
        case OPEN -> openUntilNanos - ticker.getAsLong() > 0 ? BreakerState.OPEN : BreakerState.PROBE_DUE;
      });
    } finally {
      lock.unlock();
    }
  }

  /**
   * The circuit breaker's state now (an open circuit whose cool-down has passed still reads OPEN).
   *
   * @return the state
   */
  public CircuitState circuitState() {
    lock.lock();
    try {
      return circuit;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "StandardResourceGuard{" + (plan != null ? "capacityPlan=" + plan.capacity() + " slots on " + plan.devices()
        + " devices" : "devices=" + devices + ", slotsPerDevice=" + slotsPerDevice) + ", queue="
        + queueCapacity + ", maxWait=" + Duration.ofNanos(maxWaitNanos) + ", deadline=" + deadline + '}';
  }

  enum Verdict { NONE, SUCCEEDED, FAILED }

  private static final class Waiter {
    final long cost;
    final Instant deadline;
    final Condition signal;
    @Nullable DeviceLease lease;
    @Nullable String refusal;

    Waiter(long cost, Instant deadline, Condition signal) {
      this.cost = cost;
      this.deadline = deadline;
      this.signal = signal;
    }
  }

  /**
   * The lease this guard grants: the device it was placed on, its cost and deadline. Closing it gives
   * the slot back exactly once. Thread-safe.
   */
  public static final class DeviceLease implements Lease {
    private final StandardResourceGuard guard;
    private final int deviceIndex;
    private final long cost;
    private final Instant deadline;
    private final boolean probe;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Verdict verdict = Verdict.NONE;

    DeviceLease(StandardResourceGuard guard, int deviceIndex, long cost, Instant deadline, boolean probe) {
      this.guard = guard;
      this.deviceIndex = deviceIndex;
      this.cost = cost;
      this.deadline = deadline;
      this.probe = probe;
    }

    /**
     * When the request must be done: its arrival at the guard plus the guard's deadline.
     *
     * @return the deadline handed to the engine
     */
    @Override
    public Instant deadline() {
      return deadline;
    }

    /**
     * The device (0-based) this request was placed on.
     *
     * @return the device index in the engine's plan (or of the guard's own devices)
     */
    public int deviceIndex() {
      return deviceIndex;
    }

    /**
     * {@link #deviceIndex()}: the engine runs the request on this device.
     *
     * @return the device index, always present
     */
    @Override
    public OptionalInt device() {
      return OptionalInt.of(deviceIndex);
    }

    /**
     * What this request was charged: width x height x steps.
     *
     * @return its cost
     */
    public long cost() {
      return cost;
    }

    /** The engine finished the request: the breaker counts a success (and a probe closes the circuit). */
    @Override
    public void engineSucceeded() {
      verdict = Verdict.SUCCEEDED;
    }

    /** The engine failed on the request: the breaker counts a failure (and a probe opens the circuit again). */
    @Override
    public void engineFailed() {
      verdict = Verdict.FAILED;
    }

    /** Gives the slot and its cost back, and lets the next waiter in; exactly once, whatever is called twice. */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        guard.release(this, verdict);
      }
    }
  }

  /**
   * Builds a {@link StandardResourceGuard}; every option has a safe default ({@code DEFAULT_*}). Setting
   * an option twice is an error. Not thread-safe.
   */
  public static final class Builder {
    private int devices = DEFAULT_DEVICES;
    private int slotsPerDevice = DEFAULT_SLOTS_PER_DEVICE;
    private boolean slotsExplicit;
    private @Nullable CapacityPlan plan;
    private int queue = DEFAULT_QUEUE;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private Duration deadline = DEFAULT_DEADLINE;
    private final Map<Role, Long> costCeilings = new HashMap<>();
    private long budget = DEFAULT_BUDGET;
    private long minHeapFree = DEFAULT_MIN_HEAP_FREE;
    private long minDeviceFree = DEFAULT_MIN_DEVICE_FREE;
    private @Nullable Supplier<OptionalLong> freeDeviceMemory;
    private LongSupplier heapHeadroom = Builder::jvmHeapHeadroom;
    private int breakerFailures = DEFAULT_BREAKER_FAILURES;
    private Duration breakerCooldown = DEFAULT_BREAKER_COOLDOWN;
    private Duration retryAfter = DEFAULT_RETRY_AFTER;
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * How many devices (GPUs) run inferences, for an engine that declares no {@link #capacityPlan capacity
     * plan}: 1 to 1024; default {@value #DEFAULT_DEVICES}.
     *
     * @param devices the device count
     * @return this builder
     */
    public Builder devices(int devices) {
      options.once("devices");
      this.devices = devices;
      this.slotsExplicit = true;
      return this;
    }

    /**
     * Inferences one device runs at once, for an engine that declares no {@link #capacityPlan capacity plan}:
     * 1 to 4096; default {@value #DEFAULT_SLOTS_PER_DEVICE}.
     *
     * @param slots the slots per device
     * @return this builder
     */
    public Builder slotsPerDevice(int slots) {
      options.once("slotsPerDevice");
      this.slotsPerDevice = slots;
      this.slotsExplicit = true;
      return this;
    }

    /**
     * Slots from the engine's declared capacity ({@code engine.capacityPlan().orElseThrow()}): one device per
     * device of the plan, each with its own slots (a DJL engine's devices x predictors per device, a remote
     * engine's endpoints with their {@code *N}), leases only on devices available now. The one owner of
     * capacity: {@link #devices} and {@link #slotsPerDevice} must then stay unset ({@link #build()} fails
     * naming both). The plan's device count and slots are read at {@link #build()} and never change.
     *
     * @param plan the engine's plan: 1 to 1024 devices, 1 to 4096 slots each
     * @return this builder
     */
    public Builder capacityPlan(CapacityPlan plan) {
      options.once("capacityPlan");
      this.plan = Objects.requireNonNull(plan, "plan");
      return this;
    }

    /**
     * How many requests may wait for a slot: 0 to 100000, 0 refuses at once when full. Default
     * {@value #DEFAULT_QUEUE}.
     *
     * @param capacity the queue's capacity
     * @return this builder
     */
    public Builder queue(int capacity) {
      options.once("queue");
      this.queue = capacity;
      return this;
    }

    /**
     * The longest a request waits in the queue; default 5 s. Must be shorter than the deadline.
     *
     * @param maxWait the wait, not negative
     * @return this builder
     */
    public Builder maxWait(Duration maxWait) {
      options.once("maxWait");
      this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
      return this;
    }

    /**
     * How long a request may take from arrival at the guard; handed to the engine. Default 30 s.
     *
     * @param deadline the deadline, positive
     * @return this builder
     */
    public Builder deadline(Duration deadline) {
      options.once("deadline");
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * The most one request of a principal holding {@code role} may cost (width x height x steps); a
     * principal holding several roles gets the highest of theirs, one holding none of the configured
     * roles the lowest. Default: no ceiling.
     *
     * @param role the role
     * @param ceiling the most one request may cost; positive
     * @return this builder
     */
    public Builder costCeiling(Role role, long ceiling) {
      Objects.requireNonNull(role, "role");
      if (ceiling <= 0) {
        throw new IllegalArgumentException("cost ceiling for " + role + " must be positive: " + ceiling);
      }
      options.once("cost ceiling for " + role);
      costCeilings.put(role, ceiling);
      return this;
    }

    /**
     * The most all requests holding a lease may cost together. Default unbounded.
     *
     * @param budget the budget, positive
     * @return this builder
     */
    public Builder budget(long budget) {
      options.once("budget");
      this.budget = budget;
      return this;
    }

    /**
     * Refuse new work while free JVM heap is under this many bytes; default 64 MiB, 0 to disable.
     *
     * @param bytes the floor, not negative
     * @return this builder
     */
    public Builder minHeapFree(long bytes) {
      options.once("minHeapFree");
      this.minHeapFree = bytes;
      return this;
    }

    /**
     * Refuse new work ({@link #LOW_MEMORY}) while the engine reports less free device memory than this;
     * default 0 (off). Needs {@link #freeDeviceMemory(Supplier)}.
     *
     * @param bytes the floor, not negative
     * @return this builder
     */
    public Builder minDeviceFree(long bytes) {
      options.once("minDeviceFree");
      this.minDeviceFree = bytes;
      return this;
    }

    /**
     * Where free device memory comes from: {@code engine::freeDeviceMemoryBytes} (the provider passes the
     * engine it is built for). An empty answer means unknown (a CPU device): the request is admitted and a
     * WARN is logged once.
     *
     * @param freeDeviceMemory read before each admission while {@link #minDeviceFree} is set
     * @return this builder
     */
    public Builder freeDeviceMemory(Supplier<OptionalLong> freeDeviceMemory) {
      options.once("freeDeviceMemory");
      this.freeDeviceMemory = Objects.requireNonNull(freeDeviceMemory, "freeDeviceMemory");
      return this;
    }

    /**
     * Test seam: free JVM heap in bytes; default max minus used memory of this JVM.
     *
     * @param bytes the free heap
     * @return this builder
     */
    public Builder heapHeadroom(LongSupplier bytes) {
      options.once("heapHeadroom");
      this.heapHeadroom = Objects.requireNonNull(bytes, "heapHeadroom");
      return this;
    }

    /**
     * Consecutive engine failures that open the circuit; default {@value #DEFAULT_BREAKER_FAILURES}.
     *
     * @param failures at least 1
     * @return this builder
     */
    public Builder breakerFailures(int failures) {
      options.once("breakerFailures");
      this.breakerFailures = failures;
      return this;
    }

    /**
     * How long an open circuit refuses before one probe; default 30 s.
     *
     * @param cooldown the cool-down, positive
     * @return this builder
     */
    public Builder breakerCooldown(Duration cooldown) {
      options.once("breakerCooldown");
      this.breakerCooldown = Objects.requireNonNull(cooldown, "breakerCooldown");
      return this;
    }

    /**
     * The retry-after given with a refusal that has no better estimate; default 1 s.
     *
     * @param retryAfter the retry-after, positive
     * @return this builder
     */
    public Builder retryAfter(Duration retryAfter) {
      options.once("retryAfter");
      this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
      return this;
    }

    /**
     * The clock deadlines are measured on; default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      options.once("clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Test seam: monotonic nanoseconds for the breaker's cool-down; default {@link System#nanoTime()}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(LongSupplier ticker) {
      options.once("ticker");
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Checks every option and their combination.
     *
     * @return the guard
     * @throws IllegalArgumentException naming the option (and its value) out of range, or both of two that
     *     exclude each other ({@code capacityPlan} with {@code devices}/{@code slotsPerDevice})
     */
    public StandardResourceGuard build() {
      require(devices >= 1 && devices <= 1024, "devices must be 1..1024: " + devices);
      require(slotsPerDevice >= 1 && slotsPerDevice <= 4096, "slotsPerDevice must be 1..4096: " + slotsPerDevice);
      if (plan != null) {
        require(!slotsExplicit, "capacityPlan (the engine's " + plan.capacity() + " slots on " + plan.devices()
            + " devices) and devices/slotsPerDevice are both set: the engine owns capacity, remove devices and "
            + "slotsPerDevice");
        checked(plan);
      }
      require(queue >= 0 && queue <= 100_000, "queue must be 0..100000: " + queue);
      require(!maxWait.isNegative(), "maxWait must not be negative: " + maxWait);
      require(deadline.compareTo(Duration.ZERO) > 0, "deadline must be positive: " + deadline);
      require(maxWait.compareTo(deadline) < 0, "maxWait (" + maxWait + ") must be shorter than the deadline ("
          + deadline + ")");
      require(budget > 0, "budget must be positive: " + budget);
      require(minHeapFree >= 0, "minHeapFree must not be negative: " + minHeapFree);
      require(minDeviceFree >= 0, "minDeviceFree must not be negative: " + minDeviceFree);
      require(minDeviceFree == 0 || freeDeviceMemory != null,
          "minDeviceFree (" + minDeviceFree + ") needs a freeDeviceMemory supplier");
      require(breakerFailures >= 1, "breakerFailures must be at least 1: " + breakerFailures);
      require(breakerCooldown.compareTo(Duration.ZERO) > 0, "breakerCooldown must be positive: " + breakerCooldown);
      require(retryAfter.compareTo(Duration.ZERO) > 0, "retryAfter must be positive: " + retryAfter);
      return new StandardResourceGuard(this);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }

    private static long jvmHeapHeadroom() {
      Runtime rt = Runtime.getRuntime();
      return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }
  }
}
