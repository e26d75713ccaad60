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

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return EPOCH.plusNanos(nanos.get());
  }
}
