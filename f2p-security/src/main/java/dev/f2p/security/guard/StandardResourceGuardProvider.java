package dev.f2p.security.guard;

import dev.f2p.core.Role;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.internal.SettingValues;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ResourceGuardProvider;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds a {@link StandardResourceGuard} under the name {@code standard}
 * ({@code f2p.resource-guard.type=standard}). Settings, under {@code f2p.resource-guard.}, each optional with
 * the guard's default:
 *
 * <ul>
 *   <li>{@code devices}, {@code slots-per-device}: slots = devices x slots per device
 *   <li>{@code queue}: how many may wait; {@code max-wait}: how long (a duration such as {@code 5s})
 *   <li>{@code deadline}: per request, default {@code 30s}
 *   <li>{@code cost-ceiling.<ROLE>}: the most one request of that role may cost (width x height x steps)
 *   <li>{@code budget}: the most everything in flight may cost together
 *   <li>{@code min-heap-free}, {@code min-device-free}: bytes (suffix {@code k}, {@code m} or {@code g}
 *       allowed); device memory is read from the engine built from the same settings
 *       ({@link ImageEditEngineProvider#SHARED_KEY}); while it is unknown (a CPU device) the floor does not
 *       apply and a WARN says so once
 *   <li>{@code breaker.failures}, {@code breaker.cooldown}: the circuit breaker
 * </ul>
 *
 * <p>The guard it builds is also registered as the shared object {@link #SHARED_KEY} (an
 * {@link AtomicReference}), so a metrics listener built from the same settings can read its gauges.
 */
public final class StandardResourceGuardProvider implements ResourceGuardProvider {
  @Override
  public String name() {
    return "standard";
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("devices", "slots-per-device", "queue", "max-wait", "deadline", "budget", "min-heap-free",
        "min-device-free", "breaker.failures", "breaker.cooldown", "cost-ceiling.*");
  }

  @Override
  public ResourceGuard create(PolicySettings settings) {
    StandardResourceGuard.Builder b = StandardResourceGuard.builder();
    settings.get("devices").ifPresent(v -> b.devices(settings.getInt("devices", 0)));
    settings.get("slots-per-device").ifPresent(v -> b.slotsPerDevice(settings.getInt("slots-per-device", 0)));
    settings.get("queue").ifPresent(v -> b.queue(settings.getInt("queue", 0)));
    settings.get("max-wait").ifPresent(v -> b.maxWait(settings.getDuration("max-wait", StandardResourceGuard.DEFAULT_MAX_WAIT)));
    settings.get("deadline").ifPresent(v -> b.deadline(settings.getDuration("deadline", StandardResourceGuard.DEFAULT_DEADLINE)));
    settings.get("budget").ifPresent(v -> b.budget(settings.getLong("budget", 0)));
    settings.get("min-heap-free").ifPresent(v -> b.minHeapFree(bytes(settings, "min-heap-free", v)));
    settings.get("min-device-free").ifPresent(v -> {
      b.minDeviceFree(bytes(settings, "min-device-free", v));
      // The engine is built after the guard: read it through the registry once its provider published it.
      @SuppressWarnings("unchecked")
      AtomicReference<Object> engine =
          settings.shared(ImageEditEngineProvider.SHARED_KEY, AtomicReference.class, AtomicReference::new);
      b.freeDeviceMemory(() -> engine.get() instanceof ImageEditEngine e ? e.freeDeviceMemoryBytes() : OptionalLong.empty());
    });
    settings.get("breaker.failures").ifPresent(v -> b.breakerFailures(settings.getInt("breaker.failures", 0)));
    settings.get("breaker.cooldown").ifPresent(v -> b.breakerCooldown(settings.getDuration("breaker.cooldown", StandardResourceGuard.DEFAULT_BREAKER_COOLDOWN)));
    PolicySettings ceilings = settings.scope("cost-ceiling");
    ceilings.asMap().keySet().forEach(role -> b.costCeiling(Role.of(role), ceilings.getLong(role, 0)));
    StandardResourceGuard guard;
    try {
      guard = b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(settings.fullName("") + "*: " + e.getMessage(), e);
    }
    @SuppressWarnings("unchecked")
    AtomicReference<Object> shared = settings.shared(SHARED_KEY, AtomicReference.class, AtomicReference::new);
    shared.set(guard);
    return guard;
  }

  /** Bytes with an optional binary suffix: {@code 512m}, {@code 2g}. */
  static long bytes(PolicySettings settings, String name, String value) {
    return SettingValues.bytes(settings, name, value);
  }
}
