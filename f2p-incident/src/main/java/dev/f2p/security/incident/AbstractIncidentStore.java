package dev.f2p.security.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state both local stores keep in memory, bounded in size; subclasses make a change durable first
 * ({@link #persist}), under the same lock as the in-memory update, so memory and disk agree.
 */
abstract class AbstractIncidentStore implements IncidentStore {
  private static final Logger LOG = LoggerFactory.getLogger(AbstractIncidentStore.class);

  record Key(IncidentTarget target, String subject) {}

  final Clock clock;
  private final int maxEntries;
  final Map<Key, Instant> restrictions = new ConcurrentHashMap<>();
  private volatile LockdownMode lockdown = LockdownMode.OFF;
  private final List<Consumer<IncidentChange>> listeners = new CopyOnWriteArrayList<>();

  AbstractIncidentStore(Clock clock, int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  @Override
  public Optional<Instant> restrictedUntil(IncidentTarget target, String subject, Instant now) {
    Instant until = restrictions.get(new Key(target, subject));
    return until != null && until.isAfter(now) ? Optional.of(until) : Optional.empty();
  }

  @Override
  public LockdownMode lockdown() {
    return lockdown;
  }

  @Override
  public final void apply(IncidentChange change) {
    synchronized (this) {
      if (change instanceof IncidentChange.Restrict r && !restrictions.containsKey(new Key(r.target(), r.subject()))) {
        purgeExpired();
        if (restrictions.size() >= maxEntries) {
          throw new IllegalStateException("incident store is full (" + maxEntries + " restrictions)");
        }
      }
      persist(change);
      update(change);
    }
    for (Consumer<IncidentChange> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("incident change listener {} threw; ignored", listener.getClass().getName(), e);
      }
    }
  }

  /** Makes the change durable before memory sees it; called holding this store's lock. */
  abstract void persist(IncidentChange change);

  /** Applies a change to memory only (loading, or after {@link #persist}). */
  final void update(IncidentChange change) {
    if (change instanceof IncidentChange.Restrict r) {
      restrictions.put(new Key(r.target(), r.subject()), r.until());
    } else if (change instanceof IncidentChange.Lift l) {
      restrictions.remove(new Key(l.target(), l.subject()));
    } else if (change instanceof IncidentChange.Lockdown l) {
      lockdown = l.mode();
    }
  }

  final void purgeExpired() {
    Instant now = clock.instant();
    restrictions.values().removeIf(until -> !until.isAfter(now));
  }

  @Override
  public void addChangeListener(Consumer<IncidentChange> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /** How many restrictions are held (expired ones included until purged). */
  int size() {
    return restrictions.size();
  }
}
