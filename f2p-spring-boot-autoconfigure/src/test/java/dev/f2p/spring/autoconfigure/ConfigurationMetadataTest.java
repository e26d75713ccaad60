package dev.f2p.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.internal.SettingNames;
import dev.f2p.core.spi.PolicyProvider;
import dev.f2p.core.spi.PolicySettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata Boot's processor generates from {@link F2pProperties} names every setting the
 * library's providers declare ({@link PolicyProvider#settingNames}), so an IDE completes them all; the list
 * is the providers' own, found with {@link ServiceLoader} (every module the library ships is on this test
 * class path), not written out here.
 */
class ConfigurationMetadataTest {
  /** Each SPI's provider interface and the scope its settings live in: the settings check's own table. */
  private static final Map<Class<? extends PolicyProvider<?>>, String> SCOPES = SettingNames.PROVIDER_SCOPES;
  /**
   * Nested selections, so the providers also name what the nested provider reads (a face detector's,
   * a classifier's, a store's settings). A provider that has no such setting refuses or ignores it.
   */
  private static final List<Map<String, String>> NESTED = List.of(Map.of(),
      Map.of("face-detector.type", "opencv"), Map.of("classifier.type", "chat-guard"),
      Map.of("classifier.type", "openai-moderation"), Map.of("lockout.store", "redis"), Map.of("store", "redis"));

  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

  static Set<String> metadataNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
        .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        Matcher m = NAME.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        while (m.find()) {
          if (m.group(1).startsWith("f2p.")) {
            names.add(m.group(1));
          }
        }
      }
    }
    return names;
  }

  /** The full patterns every shipped provider declares, with their nested providers'. */
  static Set<String> librarySettings() {
    Set<String> patterns = new TreeSet<>();
    SCOPES.forEach((type, scope) -> {
      for (PolicyProvider<?> provider : ServiceLoader.load(type)) {
        if (isTestFixture(provider)) {
          continue;
        }
        String prefix = scope.formatted(provider.name());
        for (Map<String, String> nested : NESTED) {
          Set<String> names;
          try {
            names = provider.settingNames(PolicySettings.of(nested));
          } catch (F2pConfigurationException | IllegalArgumentException e) {
            continue; // no provider of that name for this SPI
          }
          names.forEach(n -> patterns.add(SettingNames.absolute(prefix, n)));
        }
      }
    });
    return patterns;
  }

  @Test
  void theMetadataNamesEverySettingTheProvidersDeclare() throws IOException {
    Set<String> metadata = metadataNames();
    Set<String> patterns = librarySettings();
    // Every module the library ships is here: the engines, the decorators, the Redis and incident stores.
    assertThat(patterns).contains("f2p.engine.bundle", "f2p.engine.protocol", "f2p.image-validator.delegate.type",
        "f2p.output-policy.watermark.key-env", "f2p.image-validator.face-detector.pool-size",
        "f2p.prompt-filter.classifier.format", "f2p.redis.uri", "f2p.authorizer.incident.file");
    List<String> missing = new ArrayList<>();
    for (String pattern : patterns) {
      // A wildcard is a map: the metadata names the map property (f2p.rate-limiter.limits for limits.*).
      int star = pattern.indexOf('*');
      String name = star < 0 ? pattern : pattern.substring(0, Math.max(0, star - 1));
      if (!metadata.contains(name)) {
        missing.add(pattern);
      }
    }
    assertThat(missing).as("settings the providers declare that F2pProperties does not name").isEmpty();
  }

  @Test
  void everyTypedNameIsOneAProviderDeclares() throws IOException {
    // The other way round: no typed property the library would refuse (the front's own f2p.http aside).
    Set<String> patterns = new HashSet<>(librarySettings());
    patterns.addAll(Set.of("f2p.authorizers", "f2p.listeners", "f2p.fingerprint-key-env",
        "f2p.client-address.ipv6-prefix", "f2p.authenticator.type", "f2p.rate-limiter.type", "f2p.prompt-filter.type",
        "f2p.image-validator.type", "f2p.resource-guard.type", "f2p.engine.type", "f2p.output-policy.type"));
    List<String> unknown = new ArrayList<>();
    for (String name : metadataNames()) {
      if (name.startsWith("f2p.http")) {
        continue;
      }
      // A decorator's delegate reads the names its provider reads at the top of the slot.
      String library = name.replaceAll("(\\.delegate)+(?=\\.|$)", "");
      if (!SettingNames.matchesAny(patterns, name) && !SettingNames.matchesAny(patterns, library)
          && patterns.stream().noneMatch(p -> p.startsWith(library + "."))) {
        unknown.add(name);
      }
    }
    assertThat(unknown).as("typed properties no provider reads").isEmpty();
  }

  private static boolean isTestFixture(Object provider) {
    return provider.getClass().getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes");
  }
}
