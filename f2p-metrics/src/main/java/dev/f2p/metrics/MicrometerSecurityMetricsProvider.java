package dev.f2p.metrics;

import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventListenerProvider;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.ResourceGuardProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds a {@link MicrometerSecurityMetrics} under the name {@code micrometer}
 * ({@code f2p.listeners=micrometer}). The registry is the object shared under {@value #REGISTRY_KEY}
 * among the providers of one client; the first provider to need it makes it from the setting
 * {@code f2p.listener.micrometer.registry}: {@code global} (default: Micrometer's
 * {@code Metrics.globalRegistry}, which the host's own registries join) or {@code simple} (a private
 * {@link SimpleMeterRegistry}). When the client's resource guard was built from the same settings by a
 * provider that publishes it ({@link ResourceGuardProvider#SHARED_KEY}, as {@code standard} does), its
 * gauges are bound too. A host holding its own registry adds
 * {@code new MicrometerSecurityMetrics(registry)} through the client builder instead.
 */
public final class MicrometerSecurityMetricsProvider implements SecurityEventListenerProvider {
  /** The shared-object key of the {@link MeterRegistry}. */
  public static final String REGISTRY_KEY = "meter-registry";

  @Override
  public String name() {
    return "micrometer";
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("registry");
  }

  @Override
  public SecurityEventListener create(PolicySettings settings) {
    String kind = settings.get("registry", "global");
    if (!kind.equals("global") && !kind.equals("simple")) {
      throw new IllegalArgumentException(settings.fullName("registry") + " must be global or simple: " + kind);
    }
    MeterRegistry registry = settings.shared(REGISTRY_KEY, MeterRegistry.class,
        () -> kind.equals("simple") ? new SimpleMeterRegistry() : Metrics.globalRegistry);
    @SuppressWarnings("unchecked")
    AtomicReference<Object> guard =
        settings.shared(ResourceGuardProvider.SHARED_KEY, AtomicReference.class, AtomicReference::new);
    @SuppressWarnings("unchecked")
    AtomicReference<Object> engine =
        settings.shared(ImageEditEngineProvider.SHARED_KEY, AtomicReference.class, AtomicReference::new);
    return new MicrometerSecurityMetrics(registry)
        .bindGuard(() -> guard.get() instanceof ResourceGuard g ? Optional.of(g) : Optional.empty())
        .bindEngine(() -> engine.get() instanceof ImageEditEngine e ? Optional.of(e) : Optional.empty());
  }
}
