package dev.f2p.core.spi;

/** Builds a {@link ImageValidator} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.ImageValidatorProvider}. */
public interface ImageValidatorProvider extends PolicyProvider<ImageValidator> {}
