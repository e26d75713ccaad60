package dev.f2p.core.spi;

/**
 * Builds a {@link ResourceGuard} by name; register implementations in
 * {@code META-INF/services/dev.f2p.core.spi.ResourceGuardProvider}.
 *
 * <p>The client builds its engine first and hands it to {@link #create(PolicySettings, ImageEditEngine)}:
 * the engine owns capacity ({@link ImageEditEngine#capacityPlan()}), the guard is sized from it at
 * construction and reads the engine's free device memory, with no registry between the two.
 */
public interface ResourceGuardProvider extends PolicyProvider<ResourceGuard> {
  /**
   * Where a provider publishes the guard it built (an {@link java.util.concurrent.atomic.AtomicReference}
   * of {@link ResourceGuard}, {@link PolicySettings#shared}), so a metrics listener built from the same
   * settings can read its {@link ResourceGuard#metrics()} whichever is built first.
   */
  String SHARED_KEY = "resource-guard";

  /**
   * Builds the guard in front of {@code engine}: what the client calls, with the engine it built from the
   * same settings or was given. A guard that counts slots takes them from the engine's
   * {@link ImageEditEngine#capacityPlan() plan} when it declares one, and its device-memory floor from
   * {@link ImageEditEngine#freeDeviceMemoryBytes()}. The default ignores the engine and calls
   * {@link #create(PolicySettings)}, for a guard that sizes itself.
   *
   * @param settings this provider's settings, names relative to its scope
   * @param engine the engine the guard admits requests to; built, not yet serving
   * @return the guard, never null
   * @throws Exception when the settings are incomplete or invalid, or disagree with the engine
   */
  default ResourceGuard create(PolicySettings settings, ImageEditEngine engine) throws Exception {
    return create(settings);
  }
}
