package dev.f2p.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A map keyed by caller (an address, a principal, a key id) that cannot grow past a fixed number of
 * entries whatever the callers do, and that no caller can flush.
 *
 * <p>An entry is only ever dropped when its state equals a new entry's ({@link Tracked#isFreshAt}: a
 * bucket that has refilled, a failure count that has decayed), so forgetting it changes no decision:
 * an exhausted bucket or a lockout in force is kept however long it idles and however many callers come.
 * Entries idle for the idle expiry and fresh are dropped as the map is used; when the map is full, every
 * fresh entry goes. When it is still full of entries that are not fresh, a new caller is not given an
 * entry of its own and no entry is evicted for it: it shares one overflow entry with every other caller
 * that finds the map full, so an attacker who invents callers is limited as one caller and evicts nobody.
 *
 * <p>Memory: at most {@code maxSize} entries plus the overflow entry (the size may pass the cap by the
 * number of threads inserting at that instant). Thread-safe. Lookups of existing entries take no lock; a
 * sweep holds a lock while it scans, at most once per idle-expiry period, and when the map is full at most
 * once a second. State changes go through {@link #withEntry}, under the entry's monitor, so a sweep never
 * drops an entry while a change to it is under way.
 *
 * @param <V> the value tracked per caller
 */
public final class CallerMap<V extends CallerMap.Tracked> {
  /** The least time between two sweeps of a full map, so a flood of new callers costs no scan each. */
  private static final long FULL_SWEEP_INTERVAL_MILLIS = 1000;

  private final ConcurrentHashMap<String, V> map;
  private final int maxSize;
  private final long idleMillis;
  private final Clock clock;
  private final ReentrantLock sweepLock = new ReentrantLock();
  private volatile long lastSweepMillis;
  private volatile long lastFullSweepMillis = Long.MIN_VALUE / 2;
  private volatile @Nullable V overflow;

  /**
   * @param maxSize the most entries kept, at least 1
   * @param idleExpiry entries not touched for this long are dropped once fresh; positive
   * @param clock the time source for last access
   */
  public CallerMap(int maxSize, Duration idleExpiry, Clock clock) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be at least 1: " + maxSize);
    }
    if (idleExpiry.isNegative() || idleExpiry.isZero()) {
      throw new IllegalArgumentException("idleExpiry must be positive: " + idleExpiry);
    }
    this.maxSize = maxSize;
    this.idleMillis = idleExpiry.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.map = new ConcurrentHashMap<>(Math.min(maxSize, 1 << 16));
    this.lastSweepMillis = clock.millis();
  }

  /** The longest caller id kept in a key; longer ones are cut, so no caller chooses the size of an entry. */
  public static final int MAX_ID_CHARS = 128;

  /**
   * The key of a caller in a scope ({@code a} for addresses, {@code p} for principals, {@code k} for key
   * ids): {@code scope:id}, the id cut to {@link #MAX_ID_CHARS}. Callers whose ids differ only past the
   * cut share an entry, which can only make a limit stricter.
   */
  public static String key(String scope, String id) {
    return scope + ":" + (id.length() > MAX_ID_CHARS ? id.substring(0, MAX_ID_CHARS) : id);
  }

  /**
   * Applies {@code action} to the entry of {@code key} (made by {@code factory} if absent; the overflow
   * entry when the map is full) under that entry's monitor, and marks it used now. The action updates the
   * entry's state and its {@linkplain Tracked#freshAt fresh time}.
   */
  public <R> R withEntry(String key, Function<String, ? extends V> factory, Function<? super V, R> action) {
    while (true) {
      V value = getOrCreate(key, factory);
      synchronized (value) {
        if (!value.retired) {
          return action.apply(value);
        }
      }
      // Dropped by a sweep between the lookup and the lock (it was fresh): look it up again.
    }
  }

  /** The value for {@code key}, made by {@code factory} if absent (the overflow entry when full); marks it used now. */
  public V getOrCreate(String key, Function<String, ? extends V> factory) {
    long now = clock.millis();
    V value = map.get(key);
    if (value == null) {
      value = makeRoom(now) ? map.computeIfAbsent(key, factory) : overflow(factory);
    }
    value.touch(now);
    return value;
  }

  /**
   * The value for {@code key} if tracked (however long idle: its state still counts); the overflow entry
   * when it is not tracked and the map is full, since that is where its state would go; else null. Does
   * not mark it used.
   */
  public @Nullable V peek(String key) {
    V value = map.get(key);
    if (value == null && map.size() >= maxSize) {
      return overflow;
    }
    return value;
  }

  /** How many callers have an entry of their own now. */
  public int size() {
    return map.size();
  }

  /** The most callers tracked. */
  public int maxSize() {
    return maxSize;
  }

  /** Drops every fresh entry that is idle past the expiry now (otherwise done as entries are added). */
  public void sweep() {
    sweepLock.lock();
    try {
      sweepLocked(clock.millis(), false);
    } finally {
      sweepLock.unlock();
    }
  }

  private V overflow(Function<String, ? extends V> factory) {
    V o = overflow;
    if (o == null) {
      synchronized (this) {
        o = overflow;
        if (o == null) {
          o = factory.apply("<overflow>");
          overflow = o;
        }
      }
    }
    return o;
  }

  /** Whether a new entry may be added; sweeps first when it is time. */
  private boolean makeRoom(long now) {
    if (map.size() < maxSize) {
      if (now - lastSweepMillis >= idleMillis && sweepLock.tryLock()) {
        try {
          sweepLocked(now, false);
        } finally {
          sweepLock.unlock();
        }
      }
      return true;
    }
    if (now - lastFullSweepMillis >= FULL_SWEEP_INTERVAL_MILLIS && sweepLock.tryLock()) {
      try {
        lastFullSweepMillis = now;
        sweepLocked(now, true);
      } finally {
        sweepLock.unlock();
      }
    }
    return map.size() < maxSize;
  }

  /** Drops fresh entries: every one when {@code full}, else those idle past the expiry. */
  private void sweepLocked(long now, boolean full) {
    lastSweepMillis = now;
    for (Map.Entry<String, V> e : map.entrySet()) {
      V v = e.getValue();
      if ((full || now - v.lastAccess() >= idleMillis) && v.isFreshAt(now)) {
        synchronized (v) {
          if (v.isFreshAt(now)) {
            v.retired = true;
            map.remove(e.getKey(), v);
          }
        }
      }
    }
  }

  /**
   * A value that remembers when it was last used and from when its state equals a new value's, in the
   * map's clock's milliseconds. Thread-safe.
   */
  public abstract static class Tracked {
    private volatile long lastAccess;
    /** Not known to be fresh until its first state change says so. */
    private volatile long freshAtMillis = Long.MAX_VALUE;
    boolean retired;

    /** When the value was last used. */
    public final long lastAccess() {
      return lastAccess;
    }

    /** Marks the value used at {@code millis}. */
    public final void touch(long millis) {
      lastAccess = millis;
    }

    /**
     * Records that from {@code millis} on, left alone, this value's state equals a new value's (a bucket
     * full again, a failure count decayed); call it under the value's monitor whenever the state changes.
     */
    public final void freshAt(long millis) {
      freshAtMillis = millis;
    }

    /** Whether dropping the value at {@code millis} would change no decision. */
    public final boolean isFreshAt(long millis) {
      return millis >= freshAtMillis;
    }
  }
}
