package dev.f2p.engine.remote.internal;

import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.engine.remote.RemoteEndpoint;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One endpoint's live state: requests in flight (never above its capacity), whether the last health check
 * or a failed connection took it out of rotation, and its circuit breaker. Thread-safe: counters are atomic,
 * the breaker's few fields change under this object's lock.
 */
public final class EndpointState {
  private final RemoteEndpoint endpoint;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong ejections = new AtomicLong();
  private volatile boolean ready;
  private volatile long lastLatencyNanos;
  /** When a request last succeeded ({@link System#nanoTime()}), 0 for never. */
  private volatile long lastAnswerNanos;
  /** When a health check last passed, and when a request here last ran out of time; 0 for never. */
  private volatile long lastPassNanos;
  private volatile long lastTimeoutNanos;
  private final AtomicInteger failedProbes = new AtomicInteger();

  // Circuit breaker, guarded by this.
  private int consecutiveFailures;
  private long openUntilNanos;
  private boolean open;
  private boolean trialInFlight;

  EndpointState(RemoteEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  public RemoteEndpoint endpoint() {
    return endpoint;
  }

  int inFlight() {
    return inFlight.get();
  }

  boolean ready() {
    return ready;
  }

  /** Sets readiness; returns whether it changed. Going down counts an ejection. */
  boolean setReady(boolean now) {
    boolean was = ready;
    ready = now;
    if (was && !now) {
      ejections.incrementAndGet();
    }
    return was != now;
  }

  /**
   * Counts a health check: a pass resets the count, a failure adds one.
   *
   * @return consecutive failed checks, 0 after a pass
   */
  int probed(boolean passed) {
    if (passed) {
      failedProbes.set(0);
      return 0;
    }
    return failedProbes.incrementAndGet();
  }

  /** Whether the breaker lets a request through now; in half-open state only one trial at a time. */
  synchronized boolean breakerAllows(long nowNanos) {
    if (!open) {
      return true;
    }
    if (nowNanos - openUntilNanos < 0 || trialInFlight) {
      return false;
    }
    trialInFlight = true;
    return true;
  }

  synchronized boolean breakerOpen(long nowNanos) {
    return open && (nowNanos - openUntilNanos < 0 || trialInFlight);
  }

  /** A success closes the breaker. */
  synchronized void succeeded(long latencyNanos) {
    consecutiveFailures = 0;
    open = false;
    trialInFlight = false;
    lastLatencyNanos = latencyNanos;
    lastAnswerNanos = nonZeroNow();
  }

  /** A health check passed. */
  void passed() {
    lastPassNanos = nonZeroNow();
  }

  /** A request here ran out of time. */
  void timedOut() {
    lastTimeoutNanos = nonZeroNow();
  }

  /**
   * Whether the endpoint is busy rather than silent: a request succeeded here after {@code nanos}, or
   * requests are in flight here and none has run out of time since the last passed check (a server that has
   * stopped answering lets its requests time out, and then counts as silent).
   */
  boolean busySince(long nanos) {
    if (answeredSince(nanos)) {
      return true;
    }
    long timeout = lastTimeoutNanos;
    return inFlight.get() > 0 && (timeout == 0 || timeout - lastPassNanos < 0);
  }

  private static long nonZeroNow() {
    long now = System.nanoTime();
    return now == 0 ? 1 : now;
  }

  /** Whether a request succeeded here after {@code nanos} ({@link System#nanoTime()}). */
  private boolean answeredSince(long nanos) {
    long at = lastAnswerNanos;
    return at != 0 && at - nanos > 0;
  }

  /** A failure; returns whether it (re)opened the breaker. */
  synchronized boolean failed(int threshold, long openForNanos, long nowNanos) {
    consecutiveFailures++;
    boolean opens = trialInFlight || (!open && consecutiveFailures >= threshold);
    trialInFlight = false;
    if (opens) {
      open = true;
      openUntilNanos = nowNanos + openForNanos;
      ejections.incrementAndGet();
    }
    return opens;
  }

  /** Gives up a half-open trial that ended without a verdict on the endpoint (it was busy). */
  synchronized void releaseTrial() {
    trialInFlight = false;
  }

  /** Takes one slot if one is free. */
  boolean tryReserve() {
    for (;;) {
      int n = inFlight.get();
      if (n >= endpoint.capacity()) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void release() {
    inFlight.decrementAndGet();
  }

  DeviceStatus status(int index, long nowNanos) {
    return new DeviceStatus(index, endpoint.name(), ready && !breakerOpen(nowNanos), inFlight.get(),
        endpoint.capacity(), ejections.get(), Duration.ofNanos(lastLatencyNanos));
  }
}
