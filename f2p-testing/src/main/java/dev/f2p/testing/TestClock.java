package dev.f2p.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock and ticker that move only when a test says so. Thread-safe. */
public final class TestClock extends Clock implements LongSupplier {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  private final AtomicLong nanos = new AtomicLong();

  /** A clock at 2026-01-01T00:00:00Z, UTC, with its ticker at 0. */
  public TestClock() {}

  /**
   * Moves the clock and the ticker forward together; both read the new time at once, from any thread.
   *
   * @param d how far; a negative duration moves them back, which real clocks' tickers never do
   */
  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  /**
   * The ticker: nanoseconds advanced since this clock was made, for code that measures elapsed time.
   *
   * @return the nanoseconds advanced so far
   */
  @Override
  public long getAsLong() {
    return nanos.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /**
   * This same clock: it always reports UTC, and a copy would not follow {@link #advance}.
   *
   * @param zone ignored
   * @return this clock
   */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return EPOCH.plusNanos(nanos.get());
  }
}
