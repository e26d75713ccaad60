package dev.f2p.security.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.core.spi.Lease;
import dev.f2p.testing.TestClients;
import dev.f2p.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The guard sized by an engine's {@link CapacityPlan}: per-device capacity, only devices that are up. */
class CapacityPlanGuardTest {
  private static final Principal USER = new Principal("alice", Set.of(Role.USER), "k_alice");
  private static final EditRequest SMALL = TestClients.request(TestClients.ALICE_KEY).size(64, 64).steps(2).build();

  private final TestClock clock = new TestClock();

  /** Servers (by default three, of capacity 1, 2 and 4) whose health the test switches, as a remote engine reports it. */
  static final class Servers implements CapacityPlan {
    final int[] slots;
    final boolean[] up;

    Servers(int... slots) {
      this.slots = slots.length == 0 ? new int[] {1, 2, 4} : slots.clone();
      this.up = new boolean[this.slots.length];
      java.util.Arrays.fill(up, true);
    }

    @Override
    public int devices() {
      return slots.length;
    }

    @Override
    public int slots(int device) {
      return slots[device];
    }

    @Override
    public boolean available(int device) {
      return up[device];
    }

    @Override
    public List<DeviceStatus> status() {
      List<DeviceStatus> all = new ArrayList<>();
      for (int d = 0; d < slots.length; d++) {
        all.add(new DeviceStatus(d, "server-" + d, up[d], 0, slots[d], 0, Duration.ZERO));
      }
      return all;
    }
  }

  private StandardResourceGuard.Builder guard() {
    return StandardResourceGuard.builder().clock(clock).ticker(clock).minHeapFree(0).queue(0).maxWait(Duration.ZERO);
  }

  private static Lease admitted(Decision<Lease> d) {
    assertThat(d).isInstanceOf(Decision.Allowed.class);
    return ((Decision.Allowed<Lease>) d).value();
  }

  private static String refusal(Decision<Lease> d) {
    assertThat(d).isInstanceOf(Decision.Rejected.class);
    assertThat(((Decision.Rejected<Lease>) d).rejection().reason()).isEqualTo(ReasonCode.OVERLOADED);
    return ((Decision.Rejected<Lease>) d).rejection().detail();
  }

  @Test
  void eachDeviceGetsExactlyItsDeclaredCapacity() {
    Servers servers = new Servers();
    StandardResourceGuard g = guard().capacityPlan(servers).build();
    int[] count = new int[3];
    for (int i = 0; i < 7; i++) {
      count[admitted(g.acquire(USER, SMALL)).device().orElseThrow()]++;
    }
    assertThat(count).containsExactly(1, 2, 4);
    // The request's events name the server: the decision's attributes.
    StandardResourceGuard one = guard().capacityPlan(servers).build();
    Decision<Lease> first = one.acquire(USER, SMALL);
    assertThat(first.attributes()).containsEntry("device", "2").containsEntry("device.name", "server-2");
    assertThat(refusal(g.acquire(USER, SMALL))).isEqualTo(StandardResourceGuard.QUEUE_FULL);
    assertThat(g.capacity()).isEqualTo(7);
    assertThat(g.metrics().orElseThrow().capacity()).isEqualTo(7);
    assertThat(g.metrics().orElseThrow().slotsInUse()).isEqualTo(7);
  }

  @Test
  void aDeviceThatIsDownGetsNoLeaseAndAllDownIsRefusedAtOnce() {
    Servers servers = new Servers();
    StandardResourceGuard g = guard().capacityPlan(servers).build();
    servers.up[2] = false;
    List<Lease> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Lease l = admitted(g.acquire(USER, SMALL));
      assertThat(l.device()).isNotEqualTo(java.util.OptionalInt.of(2));
      held.add(l);
    }
    // The flood while server 2 is down: nothing more than servers 0 and 1 hold.
    assertThat(refusal(g.acquire(USER, SMALL))).isEqualTo(StandardResourceGuard.QUEUE_FULL);
    servers.up[0] = false;
    servers.up[1] = false;
    assertThat(refusal(g.acquire(USER, SMALL))).isEqualTo(StandardResourceGuard.DEVICES_DOWN);
    held.forEach(Lease::close);
    servers.up[2] = true;
    assertThat(admitted(g.acquire(USER, SMALL)).device()).hasValue(2);
  }

  @Test
  void aFloodFromManyThreadsNeverExceedsAnyDevicesCapacity() throws Exception {
    Servers servers = new Servers();
    servers.up[1] = false;
    StandardResourceGuard g = StandardResourceGuard.builder().minHeapFree(0).queue(64)
        .maxWait(Duration.ofSeconds(2)).capacityPlan(servers).build();
    AtomicIntegerArray inUse = new AtomicIntegerArray(3);
    AtomicIntegerArray most = new AtomicIntegerArray(3);
    AtomicBoolean wrongDevice = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          Decision<Lease> d = g.acquire(USER, SMALL);
          if (d instanceof Decision.Allowed<Lease> a) {
            try (Lease l = a.value()) {
              int dev = l.device().orElseThrow();
              wrongDevice.compareAndSet(false, dev == 1);
              int now = inUse.incrementAndGet(dev);
              most.accumulateAndGet(dev, now, Math::max);
              Thread.onSpinWait();
              inUse.decrementAndGet(dev);
            }
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(wrongDevice).isFalse();
    assertThat(most.get(0)).isLessThanOrEqualTo(1);
    assertThat(most.get(2)).isLessThanOrEqualTo(4);
    assertThat(g.slotsInUse()).isZero();
  }

  @Test
  void onlyOneOwnerOfCapacityFixedAtConstruction() {
    Servers servers = new Servers();
    assertThatThrownBy(() -> guard().devices(2).capacityPlan(servers).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacityPlan (the engine's 7 slots on 3 devices) and devices/slotsPerDevice are both set: the "
            + "engine owns capacity, remove devices and slotsPerDevice");
    assertThatThrownBy(() -> guard().capacityPlan(servers).slotsPerDevice(4).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are both set");
    assertThatThrownBy(() -> guard().capacityPlan(servers).capacityPlan(servers))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("capacityPlan");
    assertThat(guard().capacityPlan(servers).build().capacity()).isEqualTo(7);
  }
}
