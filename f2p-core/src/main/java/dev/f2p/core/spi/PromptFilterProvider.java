package dev.f2p.core.spi;

/** Builds a {@link PromptFilter} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.PromptFilterProvider}. */
public interface PromptFilterProvider extends PolicyProvider<PromptFilter> {}
