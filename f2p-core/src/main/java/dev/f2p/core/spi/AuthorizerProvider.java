package dev.f2p.core.spi;

/** Builds a {@link Authorizer} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.AuthorizerProvider}. */
public interface AuthorizerProvider extends PolicyProvider<Authorizer> {}
