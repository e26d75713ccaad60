package dev.f2p.security.guard;

import dev.f2p.core.Role;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.security.internal.SettingValues;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link StandardResourceGuard} under the name {@code standard}
 * ({@code f2p.resource-guard.type=standard}), in front of the engine the client built first
 * ({@link #create(PolicySettings, ImageEditEngine)}). Settings, under {@code f2p.resource-guard.}, each
 * optional with the guard's default:
 *
 * <ul>
 *   <li>{@code devices}, {@code slots-per-device}: slots = devices x slots per device, only for an engine
 *       that declares no capacity plan. An engine that declares one owns capacity (the DJL engine's
 *       {@code f2p.engine.predictors-per-device} on each of its devices, the remote engine's
 *       {@code f2p.engine.endpoints} with their {@code *N}): the guard takes its slots from that plan, and
 *       setting either of these beside it fails the build naming both
 *   <li>{@code queue}: how many may wait; {@code max-wait}: how long (a duration such as {@code 5s})
 *   <li>{@code deadline}: per request, default {@code 30s}
 *   <li>{@code cost-ceiling.<ROLE>}: the most one request of that role may cost (width x height x steps)
 *   <li>{@code budget}: the most everything in flight may cost together
 *   <li>{@code min-heap-free}, {@code min-device-free}: bytes (suffix {@code k}, {@code m} or {@code g}
 *       allowed); device memory is read from the engine the guard is built for
 *       ({@link ImageEditEngine#freeDeviceMemoryBytes()}); while it is unknown (a CPU device) the floor does
 *       not apply and a WARN says so once
 *   <li>{@code breaker.failures}, {@code breaker.cooldown}: the circuit breaker
 * </ul>
 *
 * <p>The guard it builds is also registered as the shared object {@link #SHARED_KEY} (an
 * {@link AtomicReference}), so a metrics listener built from the same settings can read its gauges.
 * Stateless and thread-safe.
 */
public final class StandardResourceGuardProvider implements ResourceGuardProvider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls it. */
  public StandardResourceGuardProvider() {}

  /**
   * The name hosts select this provider by.
   *
   * @return {@code standard}
   */
  @Override
  public String name() {
    return "standard";
  }

  /**
   * Every setting the guard reads, relative to {@code f2p.resource-guard.}.
   *
   * @param settings this provider's settings
   * @return the names, {@code cost-ceiling.*} for the per-role ceilings
   */
  @Override
  public Set<String> settingNames(PolicySettings settings) {
    return Set.of("devices", "slots-per-device", "queue", "max-wait", "deadline", "budget", "min-heap-free",
        "min-device-free", "breaker.failures", "breaker.cooldown", "cost-ceiling.*");
  }

  /**
   * A guard for an engine it does not know: its slots from {@code devices} x {@code slots-per-device};
   * {@code min-device-free} fails, as there is no engine to read device memory from. The client calls
   * {@link #create(PolicySettings, ImageEditEngine)} instead.
   *
   * @param settings this provider's settings
   * @return the guard
   * @throws IllegalArgumentException naming the setting that is invalid
   */
  @Override
  public ResourceGuard create(PolicySettings settings) {
    return build(settings, null);
  }

  /**
   * The guard in front of {@code engine}: its slots from the engine's
   * {@link ImageEditEngine#capacityPlan() capacity plan} when it declares one (else from {@code devices} x
   * {@code slots-per-device}), its device-memory floor read from the engine.
   *
   * @param settings this provider's settings
   * @param engine the engine the guard admits requests to
   * @return the guard
   * @throws IllegalArgumentException naming the setting that is invalid, or {@code devices} /
   *     {@code slots-per-device} set beside an engine that declares its capacity
   */
  @Override
  public ResourceGuard create(PolicySettings settings, ImageEditEngine engine) {
    return build(settings, engine);
  }

  private static ResourceGuard build(PolicySettings settings, @Nullable ImageEditEngine engine) {
    StandardResourceGuard.Builder b = StandardResourceGuard.builder();
    Optional<CapacityPlan> plan = engine == null ? Optional.empty() : engine.capacityPlan();
    if (plan.isPresent()) {
      for (String own : new String[] {"devices", "slots-per-device"}) {
        if (settings.get(own).isPresent()) {
          throw new IllegalArgumentException(settings.fullName(own) + " cannot be set: the engine declares its "
              + "capacity (" + plan.get().capacity() + " slots on " + plan.get().devices() + " devices, from "
              + "f2p.engine.predictors-per-device or the endpoints' *N), and the guard is sized from it; remove "
              + settings.fullName(own));
        }
      }
      b.capacityPlan(plan.get());
    }
    settings.get("devices").ifPresent(v -> b.devices(settings.getInt("devices", 0)));
    settings.get("slots-per-device").ifPresent(v -> b.slotsPerDevice(settings.getInt("slots-per-device", 0)));
    settings.get("queue").ifPresent(v -> b.queue(settings.getInt("queue", 0)));
    settings.get("max-wait").ifPresent(v -> b.maxWait(settings.getDuration("max-wait", StandardResourceGuard.DEFAULT_MAX_WAIT)));
    settings.get("deadline").ifPresent(v -> b.deadline(settings.getDuration("deadline", StandardResourceGuard.DEFAULT_DEADLINE)));
    settings.get("budget").ifPresent(v -> b.budget(settings.getLong("budget", 0)));
    settings.get("min-heap-free").ifPresent(v -> b.minHeapFree(bytes(settings, "min-heap-free", v)));
    settings.get("min-device-free").ifPresent(v -> b.minDeviceFree(bytes(settings, "min-device-free", v)));
    if (engine != null) {
      b.freeDeviceMemory(engine::freeDeviceMemoryBytes);
    }
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
