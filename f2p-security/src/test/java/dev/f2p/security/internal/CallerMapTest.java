package dev.f2p.security.internal;

import dev.f2p.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallerMapTest {
  private final TestClock clock = new TestClock();

  static final class Value extends CallerMap.Tracked {}

  @Test
  void atTheCapTheLeastRecentlyUsedGoFirst() {
    CallerMap<Value> map = new CallerMap<>(100, Duration.ofHours(1), clock);
    for (int i = 0; i < 100; i++) {
      map.getOrCreate("c" + i, k -> new Value());
      clock.advance(Duration.ofMillis(1));
    }
    for (int i = 0; i < 10; i++) {
      map.getOrCreate("c" + i, k -> new Value());
      clock.advance(Duration.ofMillis(1));
    }
    map.getOrCreate("newcomer", k -> new Value());
    assertThat(map.size()).isLessThanOrEqualTo(100);
    for (int i = 0; i < 10; i++) {
      assertThat(map.peek("c" + i)).as("recently used c" + i).isNotNull();
    }
    assertThat(map.peek("c10")).isNull();
    assertThat(map.peek("newcomer")).isNotNull();
  }

  @Test
  void idleEntriesAreDroppedAndNotReturned() {
    CallerMap<Value> map = new CallerMap<>(1000, Duration.ofMinutes(10), clock);
    map.getOrCreate("old", k -> new Value());
    clock.advance(Duration.ofMinutes(10));
    assertThat(map.peek("old")).isNull();
    map.getOrCreate("new", k -> new Value());
    assertThat(map.size()).isEqualTo(1);
  }

  @Test
  void aHugeCallerIdCannotMakeAHugeKey() {
    assertThat(CallerMap.key("a", "x".repeat(100_000))).hasSize(2 + CallerMap.MAX_ID_CHARS);
    assertThat(CallerMap.key("a", "10.0.0.1")).isEqualTo("a:10.0.0.1");
  }
}
