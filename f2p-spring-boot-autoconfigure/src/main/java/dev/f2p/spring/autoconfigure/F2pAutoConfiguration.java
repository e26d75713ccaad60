package dev.f2p.spring.autoconfigure;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.StageObserver;
import dev.f2p.metrics.MicrometerSecurityMetricsProvider;
import dev.f2p.redis.RedisProviders;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentControlProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The guard for a Spring Boot application: the {@link ImageEditClient} built from {@code f2p.*}
 * ({@link F2pProperties}) through the library's {@code configure(...)}, closed when the context closes.
 * A host bean of a policy type ({@link Authenticator}, {@link RateLimiter}, {@link PromptFilter},
 * {@link ImageValidator}, {@link ResourceGuard}, {@link ImageEditEngine}, {@link OutputPolicy}) takes that
 * slot and its properties are ignored; host {@link Authorizer} and {@link SecurityEventListener} beans are
 * added to the configured ones; a host {@link ImageEditClient} bean replaces all of it. With Micrometer and
 * f2p-metrics present the security metrics record into the application's {@link MeterRegistry}; with
 * the actuator, the health indicators {@code f2p}, {@code f2pBreaker}, {@code f2pRedis}, {@code f2pLockdown} and
 * the endpoint {@code f2p}, which takes the incident actions for an ADMIN key; in a servlet web application,
 * {@code POST /generate} ({@link F2pWebAutoConfiguration}).
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(ImageEditClient.class)
@EnableConfigurationProperties(F2pProperties.class)
@Import({F2pAutoConfiguration.Metrics.class, F2pAutoConfiguration.Incidents.class, F2pAutoConfiguration.Tracing.class,
    F2pAutoConfiguration.Redis.class, F2pActuatorConfiguration.class})
public class F2pAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public F2pAutoConfiguration() {}

  /**
   * The shared objects of the settings the client is built from (the incident control, the meter
   * registry), so the health indicator and the endpoint see what the providers built.
   *
   * @return the settings holder
   */
  @Bean
  F2pSharedObjects f2pSharedObjects() {
    return new F2pSharedObjects();
  }

  /**
   * The client, closed with the context (which closes every policy it built from settings).
   *
   * @return the client
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  ImageEditClient f2pImageEditClient(F2pProperties properties, F2pSharedObjects shared, Environment environment,
      ObjectProvider<Authenticator> authenticator, ObjectProvider<RateLimiter> rateLimiter,
      ObjectProvider<PromptFilter> promptFilter, ObjectProvider<ImageValidator> imageValidator,
      ObjectProvider<ResourceGuard> resourceGuard, ObjectProvider<ImageEditEngine> engine,
      ObjectProvider<OutputPolicy> outputPolicy, ObjectProvider<Authorizer> authorizers,
      ObjectProvider<SecurityEventListener> listeners, ObjectProvider<SettingsContributor> contributors,
      ObjectProvider<StageObserver> observers) {
    ImageEditClient.Builder b = ImageEditClient.builder();
    Set<String> hostSlots = new HashSet<>();
    host(hostSlots, "authenticator", authenticator, b::authenticator);
    host(hostSlots, "rate-limiter", rateLimiter, b::rateLimiter);
    host(hostSlots, "prompt-filter", promptFilter, b::promptFilter);
    host(hostSlots, "image-validator", imageValidator, b::imageValidator);
    host(hostSlots, "resource-guard", resourceGuard, b::resourceGuard);
    host(hostSlots, "engine", engine, b::engine);
    host(hostSlots, "output-policy", outputPolicy, b::outputPolicy);
    Map<String, String> settings = new java.util.LinkedHashMap<>(LibrarySettings.of(properties, hostSlots,
        ConfigurationPropertySources.get(environment)));
    List<Authorizer> hostAuthorizers = authorizers.orderedStream().toList();
    if (!hostAuthorizers.isEmpty() && !settings.containsKey("f2p.authorizers")) {
      // The builder drops its standard roles once any authorizer is added: keep them unless the host chose.
      settings.put("f2p.authorizers", "roles");
    }
    contributors.orderedStream().forEach(c -> c.contribute(settings, shared));
    PolicySettings policySettings = shared.attach(settings);
    b.configure(policySettings);
    hostAuthorizers.forEach(b::addAuthorizer);
    listeners.orderedStream().forEach(b::addListener);
    observers.orderedStream().forEach(b::addStageObserver);
    return b.build();
  }

  private static <T> void host(Set<String> slots, String slot, ObjectProvider<T> bean, Consumer<T> set) {
    T policy = bean.getIfUnique();
    if (policy != null) {
      set.accept(policy);
      slots.add(slot);
    }
  }

  /**
   * The lockdown mode the health indicator and endpoint show; {@code off} without incident control.
   *
   * @return the view
   */
  @Bean
  @ConditionalOnMissingBean
  LockdownState f2pLockdownState() {
    return Optional::empty;
  }

  /**
   * Redis shared state for the health indicator and endpoint; empty without f2p-redis's coordination.
   *
   * @return the view
   */
  @Bean
  @ConditionalOnMissingBean
  SharedState f2pSharedState() {
    return Optional::empty;
  }

  /** The shared state of the Redis coordination the settings built ({@code type: redis}), if any. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RedisProviders.class)
  static class Redis {
    @Bean
    @ConditionalOnMissingBean
    SharedState f2pRedisSharedState(F2pSharedObjects shared, ImageEditClient client) {
      return () -> shared.settings().flatMap(RedisProviders::coordination)
          .map(c -> new SharedStateView(c.isSharedStateAvailable(), c.failureMode().name()));
    }
  }

  /** Security metrics into the application's registry: the library's {@code micrometer} listener, sharing it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, MicrometerSecurityMetricsProvider.class})
  static class Metrics {
    @Bean
    SettingsContributor f2pMeterRegistryContributor(ObjectProvider<MeterRegistry> registry) {
      return (settings, shared) -> {
        MeterRegistry r = registry.getIfUnique();
        if (r == null) {
          return;
        }
        shared.share(MicrometerSecurityMetricsProvider.REGISTRY_KEY, MeterRegistry.class, r);
        String listeners = settings.getOrDefault("f2p.listeners", "");
        if (!List.of(listeners.split(",")).contains("micrometer")) {
          settings.put("f2p.listeners", listeners.isEmpty() ? "micrometer" : listeners + ",micrometer");
        }
      };
    }
  }

  /** A span per pipeline stage through the application's {@link ObservationRegistry}, when it has one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  static class Tracing {
    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    StageObserver f2pStageObserver(ObservationRegistry registry) {
      return new ObservationStageObserver(registry);
    }
  }

  /** The lockdown mode of the incident control the settings built ({@code type: incident}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(IncidentControl.class)
  static class Incidents {
    @Bean
    @ConditionalOnMissingBean
    LockdownState f2pIncidentLockdownState(F2pSharedObjects shared, ImageEditClient client) {
      return () -> shared.find(IncidentControlProvider.SHARED_KEY, IncidentControl.class)
          .map(IncidentControl::lockdownMode)
          .filter(m -> m != dev.f2p.security.incident.LockdownMode.OFF)
          .map(m -> m == dev.f2p.security.incident.LockdownMode.EVERYONE ? "everyone" : "admins-only");
    }
  }

  /** Adds to the library settings before the client is built; package-private wiring between the parts. */
  @FunctionalInterface
  interface SettingsContributor {
    void contribute(Map<String, String> settings, F2pSharedObjects shared);
  }

  /** Redis shared state now; empty when the client uses none. */
  @FunctionalInterface
  interface SharedState {
    Optional<SharedStateView> now();
  }

  /** Whether Redis is in use now, and what the instance does while it is not ({@code FAIL_CLOSED}, ...). */
  record SharedStateView(boolean available, String failureMode) {}

  /** The lockdown in force: {@code admins-only} or {@code everyone}; empty when none. */
  @FunctionalInterface
  interface LockdownState {
    Optional<String> mode();
  }
}
