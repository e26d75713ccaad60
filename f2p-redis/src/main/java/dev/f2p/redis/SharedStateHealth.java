package dev.f2p.redis;

import dev.f2p.core.Outcome;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.SecurityEventPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis is usable now, shared by the rate limiter, the lockout store and the incident store of
 * one {@link RedisCoordination}. The first failure turns it down (one CRITICAL event), and from then on
 * callers skip Redis at once instead of each waiting for a timeout; a probe every {@code probeInterval}
 * turns it up again (one INFO event) and runs the recovery actions (reloading the incident snapshot).
 * Thread-safe.
 */
final class SharedStateHealth {
  static final String UNAVAILABLE = "SHARED_STATE_UNAVAILABLE";
  static final String RESTORED = "SHARED_STATE_RESTORED";
  private static final Logger LOG = LoggerFactory.getLogger(SharedStateHealth.class);

  private final AtomicBoolean up = new AtomicBoolean(true);
  private final AtomicBoolean probing = new AtomicBoolean();
  private final ScheduledExecutorService scheduler;
  private final Duration probeInterval;
  private final BooleanSupplier probe;
  private final FailureMode mode;
  private final List<Runnable> onRecovery = new CopyOnWriteArrayList<>();
  private volatile SecurityEventPublisher publisher = SecurityEventPublisher.NONE;

  SharedStateHealth(ScheduledExecutorService scheduler, Duration probeInterval, BooleanSupplier probe, FailureMode mode) {
    this.scheduler = scheduler;
    this.probeInterval = probeInterval;
    this.probe = probe;
    this.mode = mode;
  }

  boolean isUp() {
    return up.get();
  }

  FailureMode mode() {
    return mode;
  }

  Duration probeInterval() {
    return probeInterval;
  }

  void attach(SecurityEventPublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
  }

  void onRecovery(Runnable action) {
    onRecovery.add(action);
  }

  /** A Redis call failed or a connection dropped: down, once, and probe until it answers. */
  void failed(String what, Throwable cause) {
    if (up.compareAndSet(true, false)) {
      LOG.error("Redis shared state unavailable ({}: {}); failure mode {}", what, cause.toString(), mode);
      publish(Severity.CRITICAL, UNAVAILABLE, what);
      scheduleProbe();
    }
  }

  private void scheduleProbe() {
    if (probing.compareAndSet(false, true)) {
      try {
        scheduler.schedule(this::probeOnce, probeInterval.toNanos(), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        probing.set(false);
      }
    }
  }

  private void probeOnce() {
    probing.set(false);
    boolean ok;
    try {
      ok = probe.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      scheduleProbe();
      return;
    }
    // Recover first (reload what may have been missed), then let requests use Redis again.
    for (Runnable action : onRecovery) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.warn("Redis recovery action failed; probing again", e);
        scheduleProbe();
        return;
      }
    }
    if (up.compareAndSet(false, true)) {
      LOG.warn("Redis shared state available again; instances share state again");
      publish(Severity.INFO, RESTORED, "probe");
    }
  }

  private void publish(Severity severity, String detail, String what) {
    try {
      publisher.publish(SecurityEvent.builder(Stage.RATE_LIMIT, Outcome.NOTICE).severity(severity).detail(detail)
          .attribute("redis.failure-mode", mode.name()).attribute("redis.cause", what).build());
    } catch (RuntimeException e) {
      LOG.warn("publishing a shared-state event failed", e);
    }
  }
}
