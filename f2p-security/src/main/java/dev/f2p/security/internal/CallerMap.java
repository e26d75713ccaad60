package dev.f2p.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A map keyed by caller (an address, a principal, a key id) that cannot grow past a fixed number of
 * entries whatever the callers do: entries idle for longer than the idle expiry are dropped, and when
 * the cap is reached the least recently used ones go first. An attacker who invents a new caller per
 * request therefore costs us at most {@code maxSize} entries.
 *
 * <p>Thread-safe. Lookups of existing entries take no lock; a sweep (rare: on reaching the cap, or once
 * per idle-expiry period) holds a lock while it scans. The size may pass the cap by at most the number
 * of threads inserting at that instant.
 *
 * <p>Values carry their own last-access time (they extend {@link Tracked}), so an entry costs the map
 * one node and no wrapper: at a million callers every word counts.
 *
 * @param <V> the value tracked per caller
 */
public final class CallerMap<V extends CallerMap.Tracked> {
  /** What the map keeps after an eviction sweep, as a share of the cap, so sweeps stay rare under a flood. */
  private static final double LOW_WATER = 0.9;

  private final ConcurrentHashMap<String, V> map;
  private final int maxSize;
  private final long idleMillis;
  private final Clock clock;
  private final ReentrantLock sweepLock = new ReentrantLock();
  private volatile long lastSweepMillis;

  /**
   * @param maxSize the most entries kept, at least 1
   * @param idleExpiry entries not touched for this long are dropped; positive
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

  /** The value for {@code key}, made by {@code factory} if absent; marks it used now. */
  public V getOrCreate(String key, Function<String, ? extends V> factory) {
    long now = clock.millis();
    V value = map.get(key);
    if (value == null) {
      makeRoom(now);
      value = map.computeIfAbsent(key, factory);
    }
    value.touch(now);
    return value;
  }

  /** The value for {@code key} if tracked and not idle past its expiry; does not mark it used. */
  public @Nullable V peek(String key) {
    V value = map.get(key);
    if (value == null || clock.millis() - value.lastAccess() >= idleMillis) {
      return null;
    }
    return value;
  }

  /** How many callers are tracked now. */
  public int size() {
    return map.size();
  }

  /** The most callers tracked. */
  public int maxSize() {
    return maxSize;
  }

  /** Drops every idle entry now (otherwise done as entries are added). */
  public void sweep() {
    sweepLock.lock();
    try {
      sweepLocked(clock.millis());
    } finally {
      sweepLock.unlock();
    }
  }

  private void makeRoom(long now) {
    if (map.size() >= maxSize) {
      // Wait for the sweep in progress rather than insert past the cap.
      sweepLock.lock();
      try {
        if (map.size() >= maxSize) {
          sweepLocked(now);
        }
      } finally {
        sweepLock.unlock();
      }
    } else if (now - lastSweepMillis >= idleMillis && sweepLock.tryLock()) {
      try {
        sweepLocked(now);
      } finally {
        sweepLock.unlock();
      }
    }
  }

  private void sweepLocked(long now) {
    lastSweepMillis = now;
    map.values().removeIf(v -> now - v.lastAccess() >= idleMillis);
    int target = (int) (maxSize * LOW_WATER);
    int excess = map.size() - target;
    if (map.size() < maxSize || excess <= 0) {
      return;
    }
    // Still full of active callers: drop the least recently used down to the low-water mark.
    long[] times = new long[map.size()];
    int n = 0;
    for (V v : map.values()) {
      if (n == times.length) {
        break;
      }
      times[n++] = v.lastAccess();
    }
    Arrays.sort(times, 0, n);
    long cutoff = times[Math.min(excess, n) - 1];
    map.values().removeIf(v -> v.lastAccess() <= cutoff);
  }

  /** A value that remembers when it was last used, in the map's clock's milliseconds. Thread-safe. */
  public abstract static class Tracked {
    private volatile long lastAccess;

    /** When the value was last used. */
    public final long lastAccess() {
      return lastAccess;
    }

    /** Marks the value used at {@code millis}. */
    public final void touch(long millis) {
      lastAccess = millis;
    }
  }
}
