package dev.f2p.security.log;

import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventListenerProvider;

/**
 * Builds a {@link Slf4jSecurityEventListener} under the name {@code slf4j} ({@code f2p.listeners=slf4j}).
 * Settings under {@code f2p.listener.slf4j.}: {@code logger} (default {@code f2p.security}),
 * {@code prompt-fingerprints} ({@code true} or {@code false}, default {@code true}), {@code require-provider}
 * ({@code false} lets the client build without an SLF4J provider, with a warning on standard error).
 */
public final class Slf4jSecurityEventListenerProvider implements SecurityEventListenerProvider {
  @Override
  public String name() {
    return "slf4j";
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("logger", "prompt-fingerprints", "require-provider");
  }

  @Override
  public SecurityEventListener create(PolicySettings settings) {
    return Slf4jSecurityEventListener.builder()
        .loggerName(settings.get("logger", Slf4jSecurityEventListener.LOGGER))
        .logPromptFingerprints(settings.getBoolean("prompt-fingerprints", true))
        .requireProvider(settings.getBoolean("require-provider", true))
        .build();
  }
}
