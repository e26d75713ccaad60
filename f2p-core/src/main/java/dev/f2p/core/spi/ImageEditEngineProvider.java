package dev.f2p.core.spi;

/** Builds a {@link ImageEditEngine} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.ImageEditEngineProvider}. */
public interface ImageEditEngineProvider extends PolicyProvider<ImageEditEngine> {}
