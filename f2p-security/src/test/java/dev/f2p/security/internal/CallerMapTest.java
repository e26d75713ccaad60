package dev.f2p.security.internal;

import dev.f2p.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallerMapTest {
  private final TestClock clock = new TestClock();

  static final class Value extends CallerMap.Tracked {}

  private static Value used(CallerMap<Value> map, String key, long freshAt) {
    return map.withEntry(key, k -> new Value(), v -> {
      v.freshAt(freshAt);
      return v;
    });
  }

  @Test
  void atTheCapNoEntryThatStillCountsIsEvictedAndNewcomersShareTheOverflow() {
    CallerMap<Value> map = new CallerMap<>(100, Duration.ofHours(1), clock);
    long never = Long.MAX_VALUE;
    for (int i = 0; i < 100; i++) {
      used(map, "c" + i, never);
      clock.advance(Duration.ofMillis(1));
    }
    Value a = used(map, "newcomer-a", never);
    Value b = used(map, "newcomer-b", never);
    assertThat(a).isSameAs(b);
    assertThat(map.size()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(map.peek("c" + i)).as("c" + i).isNotNull().isNotSameAs(a);
    }
    assertThat(map.peek("newcomer-a")).isSameAs(a);
  }

  @Test
  void atTheCapFreshEntriesMakeRoomWhateverTheirAge() {
    CallerMap<Value> map = new CallerMap<>(100, Duration.ofHours(1), clock);
    for (int i = 0; i < 100; i++) {
      used(map, "c" + i, i < 10 ? clock.millis() : Long.MAX_VALUE);
    }
    Value newcomer = used(map, "newcomer", Long.MAX_VALUE);
    assertThat(map.peek("newcomer")).isSameAs(newcomer);
    assertThat(map.size()).isEqualTo(91);
    assertThat(map.peek("c3")).isNull();
    assertThat(map.peek("c10")).isNotNull();
  }

  @Test
  void idleFreshEntriesAreDroppedAndIdleOnesThatStillCountAreKept() {
    CallerMap<Value> map = new CallerMap<>(1000, Duration.ofMinutes(10), clock);
    used(map, "fresh", clock.millis());
    Value counts = used(map, "counts", Long.MAX_VALUE);
    clock.advance(Duration.ofMinutes(10));
    used(map, "new", Long.MAX_VALUE);
    assertThat(map.peek("fresh")).isNull();
    assertThat(map.peek("counts")).isSameAs(counts);
    assertThat(map.size()).isEqualTo(2);
  }

  @Test
  void aHugeCallerIdCannotMakeAHugeKey() {
    assertThat(CallerMap.key("a", "x".repeat(100_000))).hasSize(2 + CallerMap.MAX_ID_CHARS);
    assertThat(CallerMap.key("a", "10.0.0.1")).isEqualTo("a:10.0.0.1");
  }
}
