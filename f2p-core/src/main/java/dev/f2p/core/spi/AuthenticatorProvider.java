package dev.f2p.core.spi;

/** Builds a {@link Authenticator} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.AuthenticatorProvider}. */
public interface AuthenticatorProvider extends PolicyProvider<Authenticator> {}
