package dev.f2p.redis;

import dev.f2p.security.incident.IncidentChange;
import dev.f2p.security.incident.IncidentStore;
import dev.f2p.security.incident.IncidentTarget;
import dev.f2p.security.incident.LockdownMode;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incident state in Redis, read from a local snapshot. A restriction is a key
 * ({@code <prefix>inc:r:<hash of target and subject>}) whose value is its end and whose TTL ends with it
 * (none for a revocation); the lockdown is one key. A change is written and announced on the channel
 * {@code <prefix>inc:changes} in one Lua script, so no instance can miss a change that was stored. Each
 * instance loads the snapshot with SCAN when it starts and again whenever the shared state comes back
 * after a failure (messages sent while it was away are lost with the connection), and updates it on
 * every message in between: reads never wait on Redis.
 *
 * <p>While Redis is unavailable, changes fail (nothing half-made); reads answer from the snapshot, except
 * that {@link FailureMode#FAIL_CLOSED} reports a lockdown for everyone. Thread-safe.
 */
final class RedisIncidentStore implements IncidentStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisIncidentStore.class);
  private static final String FOREVER = "max";
  private static final int BATCH = 500;
  private static final String CHANGE = """
      if ARGV[1] == '' then redis.call('DEL', KEYS[1])
      elseif ARGV[2] == '' then redis.call('SET', KEYS[1], ARGV[1])
      else redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2]) end
      redis.call('PUBLISH', KEYS[2], ARGV[3])
      return 1
      """;

  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisPubSubConnection<String, String> pubSub;
  private final Keys keys;
  private final SharedStateHealth health;
  private final int maxEntries;
  private final String origin = UUID.randomUUID().toString();
  private final List<Consumer<IncidentChange>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  /** Hash of target and subject to end in epoch millis ({@link Long#MAX_VALUE} for good). */
  private volatile Map<String, Long> restrictions = new ConcurrentHashMap<>();
  private volatile LockdownMode lockdown = LockdownMode.OFF;
  /** Messages received while a reload runs, replayed on the new snapshot; null when none runs. */
  private @Nullable List<String> replay;

  RedisIncidentStore(RedisClient client, StatefulRedisConnection<String, String> connection, Keys keys,
      SharedStateHealth health, int maxEntries) {
    this.connection = connection;
    this.keys = keys;
    this.health = health;
    this.maxEntries = maxEntries;
    this.pubSub = client.connectPubSub(StringCodec.UTF8);
    pubSub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        onMessage(message);
      }
    });
    // Subscribe before loading, so no change falls between the two.
    pubSub.sync().subscribe(keys.channel());
    reload();
    health.onRecovery(this::reload);
  }

  @Override
  public Optional<Instant> restrictedUntil(IncidentTarget target, String subject, Instant now) {
    Long until = restrictions.get(id(target, subject));
    if (until == null) {
      return Optional.empty();
    }
    Instant end = until == Long.MAX_VALUE ? Instant.MAX : Instant.ofEpochMilli(until);
    return end.isAfter(now) ? Optional.of(end) : Optional.empty();
  }

  @Override
  public LockdownMode lockdown() {
    if (health.mode() == FailureMode.FAIL_CLOSED && !health.isUp()) {
      return LockdownMode.EVERYONE;
    }
    return lockdown;
  }

  @Override
  public void apply(IncidentChange change) {
    if (!health.isUp()) {
      throw new IllegalStateException("shared incident state is unavailable (Redis); the change was not made");
    }
    String key;
    String value;
    String expireAt = "";
    if (change instanceof IncidentChange.Restrict r) {
      key = keys.restriction(id(r.target(), r.subject()));
      if (!restrictions.containsKey(id(r.target(), r.subject()))) {
        purgeExpired();
        if (restrictions.size() >= maxEntries) {
          throw new IllegalStateException("incident store is full (" + maxEntries + " restrictions)");
        }
      }
      if (r.until().equals(Instant.MAX)) {
        value = FOREVER;
      } else {
        value = Long.toString(r.until().toEpochMilli());
        expireAt = value;
      }
    } else if (change instanceof IncidentChange.Lift l) {
      key = keys.restriction(id(l.target(), l.subject()));
      value = "";
    } else {
      LockdownMode mode = ((IncidentChange.Lockdown) change).mode();
      key = keys.lockdown();
      value = mode == LockdownMode.OFF ? "" : mode.name();
    }
    String message = encode(change);
    try {
      connection.sync().eval(CHANGE, ScriptOutputType.INTEGER, new String[] {key, keys.channel()},
          value, expireAt, message);
    } catch (RuntimeException e) {
      health.failed("incident change", e);
      throw new IllegalStateException("shared incident state is unavailable (Redis); the change was not made", e);
    }
    // Our own message will come back too; applying it twice is harmless, telling listeners twice is not.
    synchronized (lock) {
      update(restrictions, change);
    }
    notifyListeners(change);
  }

  @Override
  public void addChangeListener(Consumer<IncidentChange> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  boolean isSubscribed() {
    return pubSub.isOpen();
  }

  /** Closing the store leaves the coordination, which owns the connections, open. */
  @Override
  public void close() {
    // The coordination closes the connection.
  }

  void shutdown() {
    pubSub.close();
  }

  /** Loads the whole snapshot: every restriction key by SCAN, then the lockdown. */
  void reload() {
    synchronized (lock) {
      replay = new ArrayList<>();
    }
    Map<String, Long> fresh = new ConcurrentHashMap<>();
    LockdownMode mode;
    try {
      RedisCommands<String, String> sync = connection.sync();
      ScanArgs args = ScanArgs.Builder.matches(keys.restrictionPrefix() + "*").limit(BATCH);
      ScanCursor cursor = ScanCursor.INITIAL;
      int prefixLength = keys.restrictionPrefix().length();
      do {
        KeyScanCursor<String> page = sync.scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          for (KeyValue<String, String> kv : sync.mget(page.getKeys().toArray(String[]::new))) {
            if (kv.hasValue() && fresh.size() < maxEntries) {
              fresh.put(kv.getKey().substring(prefixLength), parseUntil(kv.getValue()));
            }
          }
        }
        cursor = page;
      } while (!cursor.isFinished());
      String l = sync.get(keys.lockdown());
      mode = l == null ? LockdownMode.OFF : LockdownMode.valueOf(l);
    } catch (RuntimeException e) {
      synchronized (lock) {
        replay = null;
      }
      throw e;
    }
    synchronized (lock) {
      List<String> missed = replay;
      replay = null;
      restrictions = fresh;
      lockdown = mode;
      for (String message : missed) {
        decode(message).ifPresent(c -> update(fresh, c));
      }
    }
    LOG.debug("incident snapshot loaded: {} restrictions, lockdown {}", fresh.size(), mode);
  }

  private void onMessage(String message) {
    Optional<IncidentChange> change = decode(message);
    if (change.isEmpty()) {
      LOG.warn("ignored a malformed message on the incident channel");
      return;
    }
    synchronized (lock) {
      update(restrictions, change.get());
      if (replay != null) {
        replay.add(message);
      }
    }
    if (!message.endsWith(" " + origin)) {
      notifyListeners(change.get());
    }
  }

  private void update(Map<String, Long> map, IncidentChange change) {
    if (change instanceof IncidentChange.Restrict r) {
      long until = r.until().equals(Instant.MAX) ? Long.MAX_VALUE : r.until().toEpochMilli();
      String id = id(r.target(), r.subject());
      if (map.size() < maxEntries || map.containsKey(id)) {
        map.put(id, until);
      } else {
        LOG.error("incident snapshot is full ({} restrictions); a restriction from another instance was dropped", maxEntries);
      }
    } else if (change instanceof IncidentChange.Lift l) {
      map.remove(id(l.target(), l.subject()));
    } else if (change instanceof IncidentChange.Lockdown d) {
      lockdown = d.mode();
    }
  }

  private void purgeExpired() {
    long now = System.currentTimeMillis();
    restrictions.values().removeIf(until -> until <= now);
  }

  private void notifyListeners(IncidentChange change) {
    for (Consumer<IncidentChange> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("incident change listener {} threw; ignored", listener.getClass().getName(), e);
      }
    }
  }

  private static String id(IncidentTarget target, String subject) {
    return Keys.hash(target.name() + ":" + subject);
  }

  private static long parseUntil(String value) {
    return value.equals(FOREVER) ? Long.MAX_VALUE : Long.parseLong(value);
  }

  /** {@code R <target> <subject> <until> <origin>}, {@code L <target> <subject> <origin>}, {@code D <mode> <origin>}. */
  private String encode(IncidentChange change) {
    if (change instanceof IncidentChange.Restrict r) {
      String until = r.until().equals(Instant.MAX) ? FOREVER : Long.toString(r.until().toEpochMilli());
      return "R " + r.target() + " " + r.subject() + " " + until + " " + origin;
    } else if (change instanceof IncidentChange.Lift l) {
      return "L " + l.target() + " " + l.subject() + " " + origin;
    }
    return "D " + ((IncidentChange.Lockdown) change).mode() + " " + origin;
  }

  private static Optional<IncidentChange> decode(String message) {
    String[] p = message.split(" ", -1);
    try {
      return switch (p[0]) {
        case "R" -> p.length == 5 ? Optional.of(new IncidentChange.Restrict(IncidentTarget.valueOf(p[1]), p[2],
            p[3].equals(FOREVER) ? Instant.MAX : Instant.ofEpochMilli(Long.parseLong(p[3])))) : Optional.empty();
        case "L" -> p.length == 4 ? Optional.of(new IncidentChange.Lift(IncidentTarget.valueOf(p[1]), p[2])) : Optional.empty();
        case "D" -> p.length == 3 ? Optional.of(new IncidentChange.Lockdown(LockdownMode.valueOf(p[1]))) : Optional.empty();
        default -> Optional.empty();
      };
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
