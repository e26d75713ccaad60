package dev.f2p.security.ratelimit;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/** Bucket4j's time source fed by a {@link Clock}, so tests move time instead of sleeping. */
final class ClockTimeMeter implements TimeMeter {
  private final Clock clock;

  ClockTimeMeter(Clock clock) {
    this.clock = clock;
  }

  static TimeMeter of(Clock clock) {
    // The system clock needs no adapter: Bucket4j's own meter is cheaper.
    return clock.equals(Clock.systemUTC()) ? TimeMeter.SYSTEM_MILLISECONDS : new ClockTimeMeter(clock);
  }

  @Override
  public long currentTimeNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public boolean isWallClockBased() {
    return true;
  }
}
