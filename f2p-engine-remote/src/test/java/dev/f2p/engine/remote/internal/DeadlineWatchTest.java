package dev.f2p.engine.remote.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one thread that cuts every call of an engine at its deadline, without being woken by each call. */
class DeadlineWatchTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A call that records how it was cut. */
  private static final class Call implements DeadlineWatch.Watched {
    final long deadline;
    final CompletableFuture<Boolean> cut = new CompletableFuture<>();

    Call(long inNanos) {
      this.deadline = System.nanoTime() + inNanos;
    }

    @Override
    public long deadlineNanos() {
      return deadline;
    }

    @Override
    public void cut(boolean closing) {
      if (!cut.complete(closing)) {
        throw new AssertionError("cut twice");
      }
    }
  }

  @Test
  void aCallStillRunningAtItsDeadlineIsCutAndOneThatEndedIsNot() throws Exception {
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline", 20 * MS, 100 * MS)) {
      Call late = new Call(150 * MS);
      Call done = new Call(150 * MS);
      watch.watch(late);
      watch.watch(done);
      watch.unwatch(done);
      assertThat(late.cut.get(10, TimeUnit.SECONDS)).as("cut for its deadline, not for closing").isFalse();
      assertThat(System.nanoTime() - late.deadline).as("not before its deadline").isNotNegative();
      Thread.sleep(100);
      assertThat(done.cut).as("a call that ended is never cut").isNotDone();
    }
  }

  /** After the engine has been idle the thread sleeps with no time limit; the next call must wake it. */
  @Test
  void anIdleWatchSleepsAndTheNextCallWakesIt() throws Exception {
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline", 20 * MS, 50 * MS)) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!watch.isSleeping() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(watch.isSleeping()).as("idle, the thread sleeps").isTrue();
      Call call = new Call(100 * MS);
      watch.watch(call);
      assertThat(call.cut.get(10, TimeUnit.SECONDS)).isFalse();
    }
  }

  /** A deadline the thread knows of is met at that deadline, not rounded up to the next tick. */
  @Test
  void aKnownDeadlineIsMetWithoutWaitingForTheTick() throws Exception {
    long tick = TimeUnit.SECONDS.toNanos(60);
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline", tick, 0)) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!watch.isSleeping() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      Call call = new Call(300 * MS);
      watch.watch(call); // wakes the thread, which then sleeps until this deadline
      assertThat(call.cut.get(20, TimeUnit.SECONDS)).as("cut long before a 60 s tick").isFalse();
    }
  }

  @Test
  void closingCutsEveryCallStillWatchedAndAnyWatchedAfter() throws Exception {
    DeadlineWatch watch = new DeadlineWatch("test-deadline");
    Call running = new Call(TimeUnit.MINUTES.toNanos(5));
    watch.watch(running);
    watch.close();
    assertThat(running.cut.get(10, TimeUnit.SECONDS)).as("cut for closing").isTrue();
    Call after = new Call(TimeUnit.MINUTES.toNanos(5));
    watch.watch(after);
    assertThat(after.cut.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCutThatThrowsDoesNotStopTheWatch() throws Exception {
    try (DeadlineWatch watch = new DeadlineWatch("test-deadline", 20 * MS, 100 * MS)) {
      watch.watch(new DeadlineWatch.Watched() {
        @Override
        public long deadlineNanos() {
          return System.nanoTime() - 1;
        }

        @Override
        public void cut(boolean closing) {
          throw new IllegalStateException("a hostile cut");
        }
      });
      Call next = new Call(50 * MS);
      watch.watch(next);
      assertThat(next.cut.get(10, TimeUnit.SECONDS)).isFalse();
    }
  }
}
