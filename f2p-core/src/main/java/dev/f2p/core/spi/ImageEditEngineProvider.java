package dev.f2p.core.spi;

/** Builds a {@link ImageEditEngine} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.ImageEditEngineProvider}. */
public interface ImageEditEngineProvider extends PolicyProvider<ImageEditEngine> {
  /**
   * Where a provider publishes the engine it built (an {@link java.util.concurrent.atomic.AtomicReference}
   * of {@link ImageEditEngine}, {@link PolicySettings#shared}), so a metrics listener built from the same
   * settings can read its devices once it exists. The resource guard does not look here: the client hands
   * it the engine ({@link ResourceGuardProvider#create(PolicySettings, ImageEditEngine)}).
   */
  String SHARED_KEY = "engine";
}
