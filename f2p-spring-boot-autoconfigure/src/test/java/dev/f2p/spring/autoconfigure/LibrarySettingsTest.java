package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The YAML and environment shapes of {@code f2p.*} become the library's settings names. */
class LibrarySettingsTest {
  private static F2pProperties bind(Map<String, Object> flat) {
    return new Binder(new MapConfigurationPropertySource(flat)).bindOrCreate("f2p", F2pProperties.class);
  }

  @Test
  void typeKeysBecomeTheSlotNamesAndNestedSelectionsToo() {
    // As YAML flattens it: f2p.output-policy: {type: pdq, delegate: {type: provenance, watermark: {key-env: K}}}
    Map<String, Object> yaml = new LinkedHashMap<>();
    yaml.put("f2p.engine.type", "djl");
    yaml.put("f2p.engine.bundle", "models/single-pass");
    yaml.put("f2p.output-policy.type", "pdq");
    yaml.put("f2p.output-policy.delegate.type", "provenance");
    yaml.put("f2p.output-policy.delegate.watermark.key-env", "K");
    yaml.put("f2p.authorizers[0].type", "roles");
    yaml.put("f2p.authorizers[1].type", "incident");
    yaml.put("f2p.authorizers[1].file", "incidents.journal");
    yaml.put("f2p.listeners[0].type", "slf4j");
    yaml.put("f2p.client-address.ipv6-prefix", "56");

    assertThat(LibrarySettings.of(bind(yaml), Set.of())).containsExactlyInAnyOrderEntriesOf(Map.of(
        "f2p.engine.type", "djl",
        "f2p.engine.bundle", "models/single-pass",
        "f2p.output-policy.type", "pdq",
        "f2p.output-policy.delegate.type", "provenance",
        "f2p.output-policy.delegate.watermark.key-env", "K",
        "f2p.authorizers", "roles,incident",
        "f2p.authorizer.incident.file", "incidents.journal",
        "f2p.listeners", "slf4j",
        "f2p.client-address.ipv6-prefix", "56"));
  }

  @Test
  void environmentVariablesBindToTheSameNames() {
    MutablePropertySources sources = new MutablePropertySources();
    sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
        "F2P_ENGINE_TYPE", "djl", "F2P_ENGINE_BUNDLE", "/srv/model", "F2P_AUTHORIZERS_0_TYPE", "roles")));
    F2pProperties p = new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate("f2p", F2pProperties.class);
    assertThat(LibrarySettings.of(p, Set.of())).containsEntry("f2p.engine.type", "djl")
        .containsEntry("f2p.engine.bundle", "/srv/model").containsEntry("f2p.authorizers", "roles");
  }

  @Test
  void aSlotTheHostFilledWithItsOwnBeanLeavesItsPropertiesOut() {
    F2pProperties p = bind(Map.of("f2p.prompt-filter.type", "standard", "f2p.engine.type", "djl"));
    assertThat(LibrarySettings.of(p, Set.of("prompt-filter"))).containsOnlyKeys("f2p.engine.type");
  }

  @Test
  void settingsWithoutATypeFailNamingTheMissingProperty() {
    F2pProperties p = bind(Map.of("f2p.engine.bundle", "models/single-pass"));
    assertThatThrownBy(() -> LibrarySettings.of(p, Set.of())).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("f2p.engine.type is required");
    F2pProperties list = bind(Map.of("f2p.listeners[0].registry", "simple"));
    assertThatThrownBy(() -> LibrarySettings.of(list, Set.of())).hasMessageStartingWith("f2p.listeners[0].type is required");
  }

  @Test
  void aProviderNamedTwiceInAListIsRefused() {
    F2pProperties p = bind(Map.of("f2p.listeners[0].type", "slf4j", "f2p.listeners[1].type", "slf4j"));
    assertThatThrownBy(() -> LibrarySettings.of(p, Set.of())).hasMessageContaining("f2p.listeners[1].type");
  }
}
