package dev.f2p.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition other threads make true; fails the test instead of hanging. */
public final class Await {
  private Await() {}

  /**
   * Polls {@code condition} (spinning, never sleeping) until it is true; gives up after 20 seconds, long
   * enough that only a real hang reaches it on a loaded CI machine.
   *
   * @param what what is awaited, for the failure message
   * @param condition read repeatedly from this thread; must be cheap and safe to call concurrently with
   *     the threads that make it true
   * @throws AssertionError when the condition is still false after 20 seconds
   */
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
