package dev.f2p.core.spi;

/** Builds a {@link ResourceGuard} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.ResourceGuardProvider}. */
public interface ResourceGuardProvider extends PolicyProvider<ResourceGuard> {
  /**
   * Where a provider publishes the guard it built (an {@link java.util.concurrent.atomic.AtomicReference}
   * of {@link ResourceGuard}, {@link PolicySettings#shared}), so a metrics listener built from the same
   * settings can read its {@link ResourceGuard#metrics()} whichever is built first.
   */
  String SHARED_KEY = "resource-guard";
}
