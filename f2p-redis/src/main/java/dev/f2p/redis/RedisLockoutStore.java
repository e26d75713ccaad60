package dev.f2p.redis;

import dev.f2p.security.auth.LocalLockoutStore;
import dev.f2p.security.auth.LockoutPolicy;
import dev.f2p.security.auth.LockoutState;
import dev.f2p.security.auth.LockoutStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Lockout counters in Redis, one string per subject ({@code failures:level:last:lockedUntil}) with a TTL
 * of the policy's window plus its longest lockout, after which a state can lock nothing. An update is a
 * compare-and-set (a Lua script compares the value read with the one stored) retried a few times, so
 * concurrent failures on several instances are all counted. Thread-safe.
 *
 * <p>While Redis is unavailable: {@link FailureMode#FAIL_CLOSED} reports every subject locked until the
 * next probe; {@link FailureMode#LOCAL_FALLBACK} counts in a bounded local store, per instance.
 */
final class RedisLockoutStore implements LockoutStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisLockoutStore.class);
  static final int MAX_ATTEMPTS = 64;
  private static final String CAS = """
      local cur = redis.call('GET', KEYS[1])
      if (cur == false and ARGV[1] == '') or cur == ARGV[1] then
        if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
        return 1
      end
      return 0
      """;

  private final StatefulRedisConnection<String, String> connection;
  private final Keys keys;
  private final SharedStateHealth health;
  private final String ttlMillis;
  private final @Nullable LockoutStore fallback;
  private final Clock clock = Clock.systemUTC();

  RedisLockoutStore(StatefulRedisConnection<String, String> connection, Keys keys, SharedStateHealth health,
      LockoutPolicy policy, int maxTracked) {
    this.connection = connection;
    this.keys = keys;
    this.health = health;
    this.ttlMillis = Long.toString(policy.window().plus(policy.maxLockout()).toMillis());
    this.fallback = health.mode() == FailureMode.LOCAL_FALLBACK
        ? LocalLockoutStore.forPolicy(policy, maxTracked, clock) : null;
  }

  @Override
  public LockoutState get(String subject) {
    if (health.isUp()) {
      try {
        return decode(connection.sync().get(keys.lockout(subject)));
      } catch (RuntimeException e) {
        health.failed("lockout read", e);
      }
    }
    return fallback != null ? fallback.get(subject) : lockedUntilProbe();
  }

  @Override
  public LockoutState update(String subject, UnaryOperator<LockoutState> update) {
    if (health.isUp()) {
      try {
        return compareAndSet(keys.lockout(subject), update);
      } catch (RuntimeException e) {
        health.failed("lockout update", e);
      }
    }
    return fallback != null ? fallback.update(subject, update) : lockedUntilProbe();
  }

  private LockoutState compareAndSet(String key, UnaryOperator<LockoutState> update) {
    var sync = connection.sync();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      String old = sync.get(key);
      LockoutState next = update.apply(decode(old));
      String encoded = encode(next);
      Long done = sync.eval(CAS, ScriptOutputType.INTEGER, new String[] {key},
          old == null ? "" : old, encoded, ttlMillis);
      if (done != null && done == 1L) {
        return next;
      }
      // Another instance won: back off a random while, growing, so contenders spread out.
      java.util.concurrent.locks.LockSupport.parkNanos(
          java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 50_000L * (attempt + 1)));
    }
    // Lost the race that often (a flood on one subject): the state computed here still decides this
    // request; Redis stays usable, so this is no outage.
    LOG.warn("lockout counter still contended after {} attempts; one failure not counted", MAX_ATTEMPTS);
    return update.apply(decode(sync.get(key)));
  }

  private LockoutState lockedUntilProbe() {
    long now = clock.millis();
    return new LockoutState(0, 0, now, now + health.probeInterval().toMillis());
  }

  static String encode(LockoutState s) {
    if (s.equals(LockoutState.NONE)) {
      return "";
    }
    return s.failures() + ":" + s.level() + ":" + s.lastFailureMillis() + ":" + s.lockedUntilMillis();
  }

  static LockoutState decode(String value) {
    if (value == null || value.isEmpty()) {
      return LockoutState.NONE;
    }
    String[] p = value.split(":", -1);
    if (p.length != 4) {
      throw new IllegalStateException("malformed lockout state in Redis");
    }
    return new LockoutState(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]));
  }
}
