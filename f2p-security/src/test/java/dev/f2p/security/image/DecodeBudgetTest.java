package dev.f2p.security.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DecodeBudgetTest {
  private static final long MIB = 1L << 20;

  @Test
  void admitsWhileBytesAndCountFitAndRefusesBeyond() {
    DecodeBudget budget = new DecodeBudget(100 * MIB, 3);
    assertThat(budget.tryReserve(60 * MIB, Duration.ZERO)).isTrue();
    assertThat(budget.tryReserve(41 * MIB, Duration.ZERO)).as("over the bytes").isFalse();
    assertThat(budget.tryReserve(40 * MIB, Duration.ZERO)).isTrue();
    assertThat(budget.reservedBytes()).isEqualTo(100 * MIB);
    budget.release(40 * MIB);
    assertThat(budget.tryReserve(1, Duration.ZERO)).isTrue();
    assertThat(budget.tryReserve(1, Duration.ZERO)).isTrue();
    assertThat(budget.tryReserve(1, Duration.ZERO)).as("over the count").isFalse();
    budget.release(1);
    budget.release(1);
    budget.release(60 * MIB);
    assertThat(budget.running()).isZero();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void aDecodeLargerThanTheWholeBudgetIsNeverAdmittedNorWaitedFor() {
    DecodeBudget budget = new DecodeBudget(10 * MIB, 2);
    assertThat(budget.fits(10 * MIB)).isTrue();
    assertThat(budget.fits(10 * MIB + 1)).isFalse();
    assertThat(budget.tryReserve(10 * MIB + 1, Duration.ofMinutes(1))).isFalse();
  }

  @Test
  void aWaitingDecodeIsAdmittedWhenAnotherReleases() throws Exception {
    DecodeBudget budget = new DecodeBudget(10 * MIB, 1);
    assertThat(budget.tryReserve(MIB, Duration.ZERO)).isTrue();
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> budget.tryReserve(MIB, Duration.ofSeconds(30)));
    budget.release(MIB);
    assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(budget.running()).isEqualTo(1);
  }

  @Test
  void anInterruptedWaitIsARefusalAndKeepsTheInterrupt() {
    DecodeBudget budget = new DecodeBudget(10 * MIB, 1);
    assertThat(budget.tryReserve(MIB, Duration.ZERO)).isTrue();
    Thread.currentThread().interrupt();
    try {
      assertThat(budget.tryReserve(MIB, Duration.ofMinutes(1))).isFalse();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void releasingWhatWasNotReservedFailsAndChangesNothing() {
    DecodeBudget budget = new DecodeBudget(10 * MIB, 2);
    assertThatThrownBy(() -> budget.release(MIB)).isInstanceOf(IllegalStateException.class);
    assertThat(budget.running()).isZero();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void badSizesFailNamingTheValue() {
    assertThatThrownBy(() -> new DecodeBudget(1000, 1)).hasMessageContaining("1000");
    assertThatThrownBy(() -> new DecodeBudget(10 * MIB, 0)).hasMessageContaining(": 0");
  }
}
