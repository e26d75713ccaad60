package dev.f2p.core.spi;

import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.internal.SettingNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The settings one provider reads: names relative to its prefix (for {@code f2p.rate-limiter.default} the
 * rate-limiter provider reads {@code default}), typed getters whose errors name the full setting, and a
 * registry of objects shared by all providers building one client (a connection, an incident store).
 * Immutable apart from that registry, which is thread-safe. Errors are {@link F2pConfigurationException}s
 * naming the setting in full. Settings handed to a provider by the client or by
 * {@link PolicyProviders#create} refuse to read a name the provider does not declare
 * ({@link PolicyProvider#settingNames}).
 */
public final class PolicySettings {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h|d)");

  private final String prefix;
  private final Map<String, String> values;
  private final ConcurrentMap<String, Object> shared;
  /** The whole map this scope was cut from, for settings several providers share ({@link #global}). */
  private final Map<String, String> root;
  /** What the provider reading these settings declared, full patterns; null when nobody declared. */
  private final @Nullable Declared declared;

  /** A provider's declaration: its name, its scope and the full patterns it may read. */
  private record Declared(String provider, String base, Set<String> patterns) {}

  private PolicySettings(String prefix, Map<String, String> values, ConcurrentMap<String, Object> shared,
      Map<String, String> root, @Nullable Declared declared) {
    this.prefix = prefix;
    this.values = values;
    this.shared = shared;
    this.root = root;
    this.declared = declared;
  }

  /**
   * {@return settings over a whole map (for example a loaded properties file), with no prefix}
   *
   * @param values setting names to values
   */
  public static PolicySettings of(Map<String, String> values) {
    Map<String, String> all = Collections.unmodifiableMap(new TreeMap<>(values));
    return new PolicySettings("", all, new ConcurrentHashMap<>(), all, null);
  }

  /**
   * These settings as read by {@code provider}, which may read only the names it declares (full
   * patterns), on top of what an enclosing provider that handed them on declared.
   */
  PolicySettings declare(String provider, Set<String> fullPatterns) {
    Set<String> all = new java.util.HashSet<>(fullPatterns);
    if (declared != null) {
      all.addAll(declared.patterns());
    }
    return new PolicySettings(prefix, values, shared, root, new Declared(provider, prefix, Set.copyOf(all)));
  }

  /** What the provider that handed these settings on declared (full patterns); empty when none. */
  Set<String> enclosingPatterns() {
    return declared == null ? Set.of() : declared.patterns();
  }

  /** The prefix of this scope, such as {@code f2p.engine.}; empty at the root. */
  String prefix() {
    return prefix;
  }

  /**
   * {@return the settings under {@code name + "."}, sharing this registry}
   *
   * @param name the sub-scope, such as {@code redis}
   */
  public PolicySettings scope(String name) {
    String p = name.endsWith(".") ? name : name + ".";
    Map<String, String> sub = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(p)) {
        sub.put(k.substring(p.length()), v);
      }
    });
    return new PolicySettings(prefix + p, Collections.unmodifiableMap(sub), shared, root, declared);
  }

  /**
   * The settings under a full name, whatever this scope is: for settings several providers share, such
   * as {@code f2p.redis} (a connection every provider that uses Redis reads).
   *
   * @param fullName the scope's full name, such as {@code f2p.redis}
   * @return the settings under it
   */
  public PolicySettings global(String fullName) {
    return new PolicySettings("", root, shared, root, declared).scope(fullName);
  }

  /**
   * {@return the full name of a setting, for messages}
   *
   * @param name the name relative to this scope
   */
  public String fullName(String name) {
    return prefix + name;
  }

  /** {@return every setting in this scope} */
  public Map<String, String> asMap() {
    return values;
  }

  /**
   * A setting's value.
   *
   * @param name the name relative to this scope
   * @return the trimmed value; empty when absent or blank
   */
  public Optional<String> get(String name) {
    checkDeclared(name);
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * {@return a required setting's trimmed value}
   *
   * @param name the name relative to this scope
   * @throws F2pConfigurationException naming the setting when it is missing
   */
  public String require(String name) {
    return get(name).orElseThrow(() -> new F2pConfigurationException(fullName(name),
        "missing setting " + fullName(name)));
  }

  /**
   * {@return a setting's trimmed value, or the default}
   *
   * @param name the name relative to this scope
   * @param defaultValue the value when the setting is absent or blank
   */
  public String get(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  /**
   * {@return a whole-number setting, or the default}
   *
   * @param name the name relative to this scope
   * @param defaultValue the value when the setting is absent or blank
   * @throws F2pConfigurationException naming the setting when the value does not parse
   */
  public int getInt(String name, int defaultValue) {
    return get(name).map(v -> parse(name, v, Integer::parseInt)).orElse(defaultValue);
  }

  /**
   * {@return a long setting, or the default}
   *
   * @param name the name relative to this scope
   * @param defaultValue the value when the setting is absent or blank
   * @throws F2pConfigurationException naming the setting when the value does not parse
   */
  public long getLong(String name, long defaultValue) {
    return get(name).map(v -> parse(name, v, Long::parseLong)).orElse(defaultValue);
  }

  /**
   * {@return a decimal setting, or the default}
   *
   * @param name the name relative to this scope
   * @param defaultValue the value when the setting is absent or blank
   * @throws F2pConfigurationException naming the setting when the value does not parse
   */
  public double getDouble(String name, double defaultValue) {
    return get(name).map(v -> parse(name, v, Double::parseDouble)).orElse(defaultValue);
  }

  /**
   * {@return a setting that is {@code true} or {@code false}, or the default}
   *
   * @param name the name relative to this scope
   * @param defaultValue the value when the setting is absent or blank
   * @throws F2pConfigurationException naming the setting when it is anything else
   */
  public boolean getBoolean(String name, boolean defaultValue) {
    return get(name).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new F2pConfigurationException(fullName(name), fullName(name) + " must be true or false: " + v);
    }).orElse(defaultValue);
  }

  /**
   * {@return a duration such as {@code 250ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d} or ISO-8601
   * {@code PT30S}, or the default}
   *
   * @param name the name relative to this scope
   * @param defaultValue the value when the setting is absent or blank
   * @throws F2pConfigurationException naming the setting when the value does not parse
   */
  public Duration getDuration(String name, Duration defaultValue) {
    return get(name).map(v -> {
      try {
        return parseDuration(fullName(name), v);
      } catch (IllegalArgumentException e) {
        throw new F2pConfigurationException(fullName(name), String.valueOf(e.getMessage()), e);
      }
    }).orElse(defaultValue);
  }

  /**
   * {@return a file setting as a path; empty when absent}
   *
   * @param name the name relative to this scope
   */
  public Optional<Path> getPath(String name) {
    return get(name).map(Path::of);
  }

  /**
   * {@return a comma-separated list, trimmed, empty entries dropped}
   *
   * @param name the name relative to this scope
   */
  public List<String> getList(String name) {
    List<String> out = new ArrayList<>();
    for (String part : get(name, "").split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return List.copyOf(out);
  }

  /**
   * The object registered under {@code key} for the client being built, made by {@code factory} on first
   * use: how two providers share one instance (an incident store both an authorizer and a listener use).
   *
   * @param <T> the object's type
   * @param key the name it is shared under
   * @param type its type, checked on every look-up
   * @param factory makes it on first use
   * @return the shared object
   */
  public <T> T shared(String key, Class<T> type, Supplier<? extends T> factory) {
    return type.cast(shared.computeIfAbsent(key, k -> factory.get()));
  }

  /**
   * The object registered under {@code key}, if a provider (or the host, through {@link #shared}) has
   * registered one: how a host reaches what its settings built, for example the incident control behind
   * its admin endpoints.
   *
   * @param <T> the object's type
   * @param key the name it is shared under
   * @param type the type expected
   * @return the object; empty when none is registered or it has another type
   */
  public <T> Optional<T> findShared(String key, Class<T> type) {
    Object value = shared.get(key);
    return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
  }

  /**
   * Parses a duration setting; a bad value fails with a message that names the setting.
   *
   * @param settingName the setting's full name, for the message
   * @param value such as {@code 250ms}, {@code 30s} or {@code PT30S}
   * @return the duration
   */
  public static Duration parseDuration(String settingName, String value) {
    String v = value.trim();
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        return Duration.parse(v);
      }
      Matcher m = DURATION.matcher(v);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m", "min" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
    } catch (RuntimeException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(settingName + " must be a duration such as 30s, 10m or PT30S: " + value);
  }

  private <T> T parse(String name, String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (NumberFormatException e) {
      throw new F2pConfigurationException(fullName(name), fullName(name) + " must be a number: " + value, e);
    }
  }

  private void checkDeclared(String name) {
    String full = fullName(name);
    if (declared != null && !SettingNames.matchesAny(declared.patterns(), full)) {
      String relative = full.startsWith(declared.base()) ? full.substring(declared.base().length()) : full;
      throw new IllegalStateException("provider '" + declared.provider() + "' reads setting " + full
          + " but does not declare it: add \"" + relative + "\" to its settingNames()");
    }
  }

  @Override
  public String toString() {
    // Settings may hold passwords: names only.
    return "PolicySettings{" + prefix + "*, " + values.keySet() + "}";
  }
}
