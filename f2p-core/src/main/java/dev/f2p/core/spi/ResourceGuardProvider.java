package dev.f2p.core.spi;

/** Builds a {@link ResourceGuard} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.ResourceGuardProvider}. */
public interface ResourceGuardProvider extends PolicyProvider<ResourceGuard> {}
