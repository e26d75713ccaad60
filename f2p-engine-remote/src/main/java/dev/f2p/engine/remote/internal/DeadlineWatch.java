package dev.f2p.engine.remote.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cuts calls still running at their deadline, for every call of one engine, on one daemon thread that no call
 * has to wake while traffic flows.
 *
 * <p>Why not a timer per call: a {@code ScheduledExecutorService} task for each call (or the JDK HTTP client's
 * own request timeout, which wakes the client's selector thread to register it) wakes another thread on every
 * call, since each call's deadline becomes the earliest when calls run one after another. On a virtual
 * machine a thread woken on another CPU costs an inter-processor interrupt; measured, those wake-ups were the
 * largest part of the engine's overhead over a bare HTTP call. Here a call only adds itself to a set and
 * removes itself. The thread wakes at the earliest deadline it knows of, and at least every
 * {@link #TICK_NANOS} while calls are watched, to see new ones; it keeps that rhythm for
 * {@link #LINGER_NANOS} after the last call ends, then sleeps until a call wakes it. So a cut is at most one
 * tick late for a call whose deadline falls before the next planned wake-up, and on time otherwise; an idle
 * engine costs no wake-ups at all.
 *
 * <p>Thread-safe.
 */
public final class DeadlineWatch implements AutoCloseable {
  /** What a watched call must offer: its deadline, and how to cut it. */
  interface Watched {
    /** The {@link System#nanoTime()} at which the call's time is up. */
    long deadlineNanos();

    /** Cuts the call because its time is up (or the engine is closing); called at most once by the watch. */
    void cut(boolean closing);
  }

  /** The most a cut can be late, for a call whose deadline is nearer than any other when it starts. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** How long the thread keeps ticking after the last watched call ended before it sleeps until woken. */
  static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private final long tickNanos;
  private final long lingerNanos;
  /** Set by the thread before it sleeps with no time limit; whoever adds a call then must wake it. */
  private volatile boolean sleeping;
  private volatile boolean closed;

  /**
   * Starts the watch's thread.
   *
   * @param name the thread's name
   */
  public DeadlineWatch(String name) {
    this(name, TICK_NANOS, LINGER_NANOS);
  }

  DeadlineWatch(String name, long tickNanos, long lingerNanos) {
    this.tickNanos = tickNanos;
    this.lingerNanos = lingerNanos;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Watches {@code call} until {@link #unwatch}; a call watched after {@link #close} is cut at once. */
  void watch(Watched call) {
    watched.add(call);
    if (closed) {
      if (watched.remove(call)) {
        call.cut(true);
      }
      return;
    }
    if (sleeping) {
      LockSupport.unpark(thread);
    }
  }

  /** Stops watching {@code call} (it has ended, however); harmless if it was never watched. */
  void unwatch(Watched call) {
    watched.remove(call);
  }

  /** Whether the thread is asleep with no time limit (for tests). */
  boolean isSleeping() {
    return sleeping && thread.getState() == Thread.State.WAITING;
  }

  private void run() {
    long lastBusy = System.nanoTime();
    while (!closed) {
      long now = System.nanoTime();
      long next = now + tickNanos;
      for (Watched w : watched) {
        long deadline = w.deadlineNanos();
        if (deadline - now <= 0) {
          if (watched.remove(w)) {
            cutQuietly(w, false);
          }
        } else if (deadline - next < 0) {
          next = deadline;
        }
      }
      if (!watched.isEmpty()) {
        lastBusy = now;
      } else if (now - lastBusy >= lingerNanos) {
        sleeping = true;
        // Checked again after saying so: a call added before this read is seen, one added after wakes us.
        if (watched.isEmpty() && !closed) {
          LockSupport.park(this);
        }
        sleeping = false;
        lastBusy = System.nanoTime();
        continue;
      }
      LockSupport.parkNanos(this, next - now);
    }
    for (Watched w : watched) {
      if (watched.remove(w)) {
        cutQuietly(w, true);
      }
    }
  }

  private static void cutQuietly(Watched w, boolean closing) {
    try {
      w.cut(closing);
    } catch (RuntimeException e) {
      // A call's own fault; nothing here may stop the watch, which every other call relies on.
    }
  }

  /** Stops the thread; every call still watched is cut. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
