package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The YAML and environment shapes of {@code f2p.*} become the library's settings names. */
class LibrarySettingsTest {
  private static Map<String, String> settings(Map<String, Object> flat, Set<String> hostSlots) {
    List<ConfigurationPropertySource> sources = List.of(new MapConfigurationPropertySource(flat));
    F2pProperties p = new Binder(sources).bindOrCreate("f2p", F2pProperties.class);
    return LibrarySettings.of(p, hostSlots, sources);
  }

  @Test
  void typedPropertiesAreTheLibrarysNamesAndDefaultsAreLeftToIt() {
    // As YAML flattens it: f2p.output-policy: {type: pdq, delegate: {type: provenance, watermark: {key-env: K}}}
    Map<String, Object> yaml = new LinkedHashMap<>();
    yaml.put("f2p.engine.type", "djl");
    yaml.put("f2p.engine.bundle", "models/single-pass");
    yaml.put("f2p.engine.trusted-keys[0]", "a.pem");
    yaml.put("f2p.engine.trusted-keys[1]", "b.pem");
    yaml.put("f2p.engine.integrity-interval", "5m"); // the default: the library's applies
    yaml.put("f2p.output-policy.type", "pdq");
    yaml.put("f2p.output-policy.delegate.type", "provenance");
    yaml.put("f2p.output-policy.delegate.watermark.key-env", "K");
    yaml.put("f2p.rate-limiter.type", "token-bucket");
    yaml.put("f2p.rate-limiter.limits.default", "10/minute");
    yaml.put("f2p.authorizers", "roles,incident");
    yaml.put("f2p.authorizer.roles.trial.max-width", "512");
    yaml.put("f2p.authorizer.incident.file", "incidents.journal");
    yaml.put("f2p.authorizer.incident.rule.stuffing", "UNAUTHENTICATED by address 50/1m -> block 15m");
    yaml.put("f2p.listeners[0]", "slf4j");
    yaml.put("f2p.client-address.ipv6-prefix", "56");
    yaml.put("f2p.http.path", "/edit");

    assertThat(settings(yaml, Set.of())).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("f2p.engine.type", "djl"),
        Map.entry("f2p.engine.bundle", "models/single-pass"),
        Map.entry("f2p.engine.trusted-keys", "a.pem,b.pem"),
        Map.entry("f2p.output-policy.type", "pdq"),
        Map.entry("f2p.output-policy.delegate.type", "provenance"),
        Map.entry("f2p.output-policy.delegate.watermark.key-env", "K"),
        Map.entry("f2p.rate-limiter.type", "token-bucket"),
        Map.entry("f2p.rate-limiter.limits.default", "10/minute"),
        Map.entry("f2p.authorizers", "roles,incident"),
        Map.entry("f2p.authorizer.roles.trial.max-width", "512"),
        Map.entry("f2p.authorizer.incident.file", "incidents.journal"),
        Map.entry("f2p.authorizer.incident.rule.stuffing", "UNAUTHENTICATED by address 50/1m -> block 15m"),
        Map.entry("f2p.listeners", "slf4j"),
        Map.entry("f2p.client-address.ipv6-prefix", "56")));
  }

  @Test
  void environmentVariablesBindDashedNamesToo() {
    MutablePropertySources sources = new MutablePropertySources();
    sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
        "F2P_ENGINE_TYPE", "djl", "F2P_ENGINE_TRUSTEDKEYS", "a.pem,b.pem", "F2P_AUTHORIZERS", "roles",
        "F2P_RESOURCEGUARD_BREAKER_FAILURES", "3")));
    Iterable<ConfigurationPropertySource> attached = ConfigurationPropertySources.from(sources);
    F2pProperties p = new Binder(attached).bindOrCreate("f2p", F2pProperties.class);
    assertThat(LibrarySettings.of(p, Set.of(), attached)).containsOnly(Map.entry("f2p.engine.type", "djl"),
        Map.entry("f2p.engine.trusted-keys", "a.pem,b.pem"), Map.entry("f2p.authorizers", "roles"),
        Map.entry("f2p.resource-guard.breaker.failures", "3"));
  }

  @Test
  void namesNoTypedPropertyHasPassThroughForTheLibraryToJudge() {
    // A third-party provider's setting (the examples' brand-terms filter) and a misspelling alike.
    assertThat(settings(Map.of("f2p.prompt-filter.type", "brand-terms", "f2p.prompt-filter.terms", "acme",
        "f2p.engine.bundel", "x"), Set.of())).containsOnly(Map.entry("f2p.prompt-filter.type", "brand-terms"),
        Map.entry("f2p.prompt-filter.terms", "acme"), Map.entry("f2p.engine.bundel", "x"));
  }

  @Test
  void aSlotTheHostFilledWithItsOwnBeanLeavesItsPropertiesOut() {
    assertThat(settings(Map.of("f2p.prompt-filter.type", "standard", "f2p.prompt-filter.max-chars", "10",
        "f2p.engine.type", "djl"), Set.of("prompt-filter"))).containsOnlyKeys("f2p.engine.type");
  }
}
