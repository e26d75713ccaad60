package dev.f2p.core.spi;

/** Builds a {@link SecurityEventListener} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.SecurityEventListenerProvider}. */
public interface SecurityEventListenerProvider extends PolicyProvider<SecurityEventListener> {}
