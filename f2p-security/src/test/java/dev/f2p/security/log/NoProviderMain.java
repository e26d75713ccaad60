package dev.f2p.security.log;

import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.SecurityEventListenerProvider;
import java.util.Map;

/** Run in a JVM with no SLF4J provider: builds the security log as a host would, prints what happened. */
public final class NoProviderMain {
  private NoProviderMain() {}

  public static void main(String[] args) {
    try {
      PolicyProviders.create(SecurityEventListenerProvider.class, "slf4j",
          PolicySettings.of(Map.of("f2p.listener.slf4j.require-provider", args[0])).scope("f2p.listener.slf4j"));
      System.out.println("BUILT");
    } catch (F2pConfigurationException e) {
      System.out.println("REFUSED " + e.setting().orElse("?") + " | " + e.getMessage());
    }
  }
}
