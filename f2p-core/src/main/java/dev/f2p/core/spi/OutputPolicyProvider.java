package dev.f2p.core.spi;

/** Builds a {@link OutputPolicy} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.OutputPolicyProvider}. */
public interface OutputPolicyProvider extends PolicyProvider<OutputPolicy> {}
