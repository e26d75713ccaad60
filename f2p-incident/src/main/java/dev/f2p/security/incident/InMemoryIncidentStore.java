package dev.f2p.security.incident;

import java.time.Clock;

/**
 * An {@link IncidentStore} in this process's memory: fast, bounded, lost on restart. Thread-safe.
 */
public final class InMemoryIncidentStore extends AbstractIncidentStore {
  /** The most restrictions held at once; expired ones are purged first. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  /** A store holding at most {@value #DEFAULT_MAX_ENTRIES} restrictions. */
  public InMemoryIncidentStore() {
    this(Clock.systemUTC(), DEFAULT_MAX_ENTRIES);
  }

  /**
   * A store holding at most {@code maxEntries} restrictions, purging expired ones by {@code clock}.
   *
   * @param clock tells which restrictions have ended, so they can be purged when the store is full; a
   *     test may pass a fixed clock
   * @param maxEntries the most restrictions held at once, at least 1; a new restriction beyond it is
   *     refused ({@link #apply} throws {@link IllegalStateException}) rather than evicting one in force
   * @throws IllegalArgumentException when {@code maxEntries} is below 1
   */
  public InMemoryIncidentStore(Clock clock, int maxEntries) {
    super(clock, maxEntries);
  }

  @Override
  void persist(IncidentChange change) {
    // Memory only.
  }
}
