package dev.f2p.examples.http.fakes;

import dev.f2p.core.spi.PolicySettings;
import dev.f2p.examples.http.AdminActions;
import dev.f2p.security.incident.IncidentAction;
import dev.f2p.security.incident.LockdownMode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory incident state and the test hooks the fake policies share with a test. Providers find it
 * through their {@code state} setting (settings cannot carry objects). Also the in-memory
 * {@link AdminActions}: the state every fake policy consults on the next request. Thread-safe.
 */
public final class TestState implements AdminActions {
  private static final Map<String, TestState> ALL = new ConcurrentHashMap<>();

  public final String id = UUID.randomUUID().toString();
  final Clock clock = Clock.systemUTC();
  final Set<String> revokedKeyIds = ConcurrentHashMap.newKeySet();
  final Map<String, Instant> suspendedPrincipals = new ConcurrentHashMap<>();
  final Map<String, Instant> suspendedAddresses = new ConcurrentHashMap<>();
  volatile LockdownMode lockdown;
  /** Leases the slot guard handed out and not yet released. */
  public final AtomicInteger openLeases = new AtomicInteger();
  public final AtomicInteger engineCalls = new AtomicInteger();
  public volatile boolean engineAvailable = true;
  public volatile boolean engineClosed;
  /** A request whose prompt contains "slow" counts this down when it reaches the engine ... */
  public final CountDownLatch slowStarted = new CountDownLatch(1);
  /** ... and waits (at most 30 s) for this. */
  public final CountDownLatch slowRelease = new CountDownLatch(1);

  private TestState() {}

  public static TestState create() {
    TestState s = new TestState();
    ALL.put(s.id, s);
    return s;
  }

  static TestState of(PolicySettings settings) {
    // A child JVM started from a settings file meets the id for the first time: make its state then.
    return ALL.computeIfAbsent(settings.require("state"), id -> new TestState());
  }

  boolean principalSuspended(String id) {
    return active(suspendedPrincipals, id);
  }

  boolean addressSuspended(String address) {
    return active(suspendedAddresses, address);
  }

  private boolean active(Map<String, Instant> suspensions, String key) {
    Instant until = suspensions.get(key);
    return until != null && clock.instant().isBefore(until);
  }

  @Override
  public boolean perform(IncidentAction action) {
    String target = action.target();
    return switch (action.kind()) {
      case REVOKE_KEY -> revokedKeyIds.add(target);
      case SUSPEND_PRINCIPAL -> suspendedPrincipals.put(target, clock.instant().plus(action.duration())) == null;
      case LIFT_PRINCIPAL -> suspendedPrincipals.remove(target) != null;
      case SUSPEND_ADDRESS -> suspendedAddresses.put(target, clock.instant().plus(action.duration())) == null;
      case LIFT_ADDRESS -> suspendedAddresses.remove(target) != null;
      case LOCKDOWN, END_LOCKDOWN -> {
        LockdownMode before = lockdown;
        lockdown = action.lockdownMode() == LockdownMode.OFF ? null : action.lockdownMode();
        yield before != lockdown;
      }
    };
  }

  @Override
  public java.util.Optional<LockdownMode> lockdownMode() {
    return java.util.Optional.ofNullable(lockdown);
  }
}
