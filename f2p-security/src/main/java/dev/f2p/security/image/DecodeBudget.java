package dev.f2p.security.image;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits image decodes the way the resource guard admits GPU work: each decode reserves the bytes its header
 * says it will take, and runs only while the reservations in force stay within {@link #memoryBytes()} and
 * their number within {@link #concurrency()}; a decode that does not fit waits at most its wait limit and
 * is then refused. A reservation is given back with {@link #release(long)}, in {@code finally}.
 *
 * <p>Bookkeeping is one {@link AtomicLong} holding both the reserved KiB and the number of decodes, so an
 * uncontended reserve and release are one compare-and-set each; only a caller that has to wait takes a
 * lock. Waiters are woken on every release and retry in no particular order (a large decode can be passed
 * by small ones; its wait limit bounds how long). Sizes are counted in whole KiB, rounded up.
 *
 * <p>Thread-safe. One budget can be shared by several validators so that together they stay within it.
 */
public final class DecodeBudget {
  /** The most KiB a budget can hold: 2^40 KiB, 1 PiB (the state packs KiB above a 20-bit count). */
  private static final long MAX_KIB = 1L << 40;
  private static final int COUNT_BITS = 20;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  /** The most concurrent decodes a budget can admit: {@value}. */
  public static final int MAX_CONCURRENCY = (int) COUNT_MASK;

  private final long memoryKib;
  private final int concurrency;
  /** Reserved KiB in the high bits, running decodes in the low {@value #COUNT_BITS}. */
  private final AtomicLong state = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private volatile int waiting;

  /**
   * A budget of {@code memoryBytes} (1 MiB to 1 PiB) for at most {@code concurrency} decodes at once
   * (1 to {@value #MAX_CONCURRENCY}).
   *
   * @param memoryBytes the bytes all admitted decodes may hold together
   * @param concurrency the most decodes admitted at once
   */
  public DecodeBudget(long memoryBytes, int concurrency) {
    if (memoryBytes < (1L << 20) || memoryBytes > (MAX_KIB << 10)) {
      throw new IllegalArgumentException("decode memory must be 1 MiB..1 PiB: " + memoryBytes);
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("decode concurrency must be 1.." + MAX_CONCURRENCY + ": " + concurrency);
    }
    this.memoryKib = memoryBytes >>> 10;
    this.concurrency = concurrency;
  }

  /**
   * The memory all admitted decodes may hold together.
   *
   * @return the budget in bytes (a whole number of KiB)
   */
  public long memoryBytes() {
    return memoryKib << 10;
  }

  /**
   * The most decodes admitted at once, whatever their size.
   *
   * @return the concurrency limit
   */
  public int concurrency() {
    return concurrency;
  }

  /**
   * The memory reserved by the decodes admitted now: a gauge, stale as soon as it is read.
   *
   * @return the bytes reserved (in whole KiB)
   */
  public long reservedBytes() {
    return (state.get() >>> COUNT_BITS) << 10;
  }

  /**
   * The decodes admitted now: a gauge, stale as soon as it is read.
   *
   * @return the number running
   */
  public int running() {
    return (int) (state.get() & COUNT_MASK);
  }

  /**
   * Whether one decode of {@code bytes} could ever be admitted (alone): a validator checks this first, so an
   * image too large for the whole budget is refused at once instead of waiting for room that never comes.
   *
   * @param bytes the memory the decode would hold
   * @return true when non-negative and within {@link #memoryBytes()}
   */
  public boolean fits(long bytes) {
    return bytes >= 0 && kib(bytes) <= memoryKib;
  }

  /**
   * Reserves {@code bytes} for one decode, waiting at most {@code wait} for room. Every {@code true} must be
   * matched by exactly one {@link #release(long)} of the same size.
   *
   * @param bytes what the decode will hold, at least 0
   * @param wait the longest wait for room; zero or negative does not wait
   * @return whether the decode may run; {@code false} when no room came within {@code wait}, when the thread
   *     was interrupted, or when the decode could never fit
   */
  public boolean tryReserve(long bytes, Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (!fits(bytes)) {
      return false;
    }
    long units = kib(bytes) << COUNT_BITS | 1;
    if (tryAdd(units)) {
      return true;
    }
    return !wait.isNegative() && !wait.isZero() && awaitRoom(units, wait.toNanos());
  }

  /**
   * Gives back a reservation made by {@link #tryReserve}.
   *
   * @param bytes the size it was made with
   */
  public void release(long bytes) {
    long units = kib(bytes) << COUNT_BITS | 1;
    long after = state.addAndGet(-units);
    if (after < 0 || (after & COUNT_MASK) == COUNT_MASK) {
      state.addAndGet(units);
      throw new IllegalStateException("released more than was reserved: " + bytes + " bytes");
    }
    if (waiting > 0) {
      lock.lock();
      try {
        released.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean tryAdd(long units) {
    long add = units >>> COUNT_BITS;
    while (true) {
      long s = state.get();
      if ((s >>> COUNT_BITS) + add > memoryKib || (s & COUNT_MASK) >= concurrency) {
        return false;
      }
      if (state.compareAndSet(s, s + units)) {
        return true;
      }
    }
  }

  private boolean awaitRoom(long units, long waitNanos) {
    long deadline = System.nanoTime() + waitNanos;
    lock.lock();
    try {
      waiting++;
      while (!tryAdd(units)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // A release that lands between tryAdd and here signals under this lock, so it cannot be missed.
        released.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiting--;
      lock.unlock();
    }
  }

  private static long kib(long bytes) {
    return (bytes + 1023) >>> 10;
  }

  @Override
  public String toString() {
    return "DecodeBudget{memory=" + (memoryKib >>> 10) + "MiB, concurrency=" + concurrency + ", running=" + running()
        + ", reserved=" + (reservedBytes() >>> 20) + "MiB}";
  }
}
