package dev.f2p.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition other threads make true; fails the test instead of hanging. */
public final class Await {
  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
