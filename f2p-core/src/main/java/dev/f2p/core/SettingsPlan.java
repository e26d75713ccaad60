package dev.f2p.core;

import dev.f2p.core.internal.SettingNames;
import dev.f2p.core.spi.AuthorizerProvider;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.PolicyProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.SecurityEventListenerProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a client's settings select, checked before anything is built: every provider named exists and
 * every name under {@code f2p.} is one a selected provider declares. A single policy is selected by its
 * {@code type} key ({@code f2p.engine.type=djl}), its provider's settings beside it ({@code f2p.engine.bundle}),
 * so the same names work as a properties file, YAML and environment variables; the old selector name
 * ({@code f2p.engine=djl}) fails naming the new one. The lists ({@code f2p.authorizers},
 * {@code f2p.listeners}) keep their comma values: their entries' settings live under other names
 * ({@code f2p.authorizer.<name>.}), so no list is also a scope. Cheap (a {@link java.util.ServiceLoader}
 * scan, no policy built), so it runs before the engine loads. Immutable.
 */
final class SettingsPlan {
  /** One provider the settings select: the setting that names it, its type, its name and its scope. */
  record Selected(String setting, Class<? extends PolicyProvider<?>> type, String provider, PolicySettings scope) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object create() {
      // The type is one of the provider interfaces above; what it makes is checked by the caller.
      return PolicyProviders.create((Class) type, provider, scope);
    }

    /** The resource guard this selects, built in front of {@code engine} (sized from its capacity plan). */
    ResourceGuard createGuard(ImageEditEngine engine) {
      return PolicyProviders.createResourceGuard(provider, scope, engine);
    }
  }

  /**
   * The single-valued selectors, by the builder's name for them, in the order they are built; and the
   * listed providers' scopes below {@code f2p.}: both from {@link SettingNames#PROVIDER_SCOPES}.
   */
  private static final Map<String, Class<? extends PolicyProvider<?>>> SINGLE = new LinkedHashMap<>();
  private static final String AUTHORIZER_SCOPE = listScope(AuthorizerProvider.class);
  private static final String LISTENER_SCOPE = listScope(SecurityEventListenerProvider.class);

  static {
    SettingNames.PROVIDER_SCOPES.forEach((type, scope) -> {
      if (!scope.contains("%s")) {
        SINGLE.put(scope.substring("f2p.".length(), scope.length() - 1), type);
      }
    });
  }

  /** {@code authorizer.} for {@code f2p.authorizer.%s.}. */
  private static String listScope(Class<? extends PolicyProvider<?>> type) {
    String scope = java.util.Objects.requireNonNull(SettingNames.PROVIDER_SCOPES.get(type), "scope");
    return scope.substring("f2p.".length(), scope.indexOf("%s"));
  }

  /** Settings the client itself reads, beside the policies'. */
  private static final Set<String> CLIENT = Set.of("f2p.fingerprint-key-env", "f2p.client-address.ipv6-prefix");

  private static final String AUTHORIZERS = "authorizers";
  private static final String LISTENERS = "listeners";

  static final SettingsPlan NONE = new SettingsPlan(Map.of(), List.of(), List.of());

  private final Map<String, Selected> single;
  private final List<Selected> authorizers;
  private final List<Selected> listeners;

  private SettingsPlan(Map<String, Selected> single, List<Selected> authorizers, List<Selected> listeners) {
    this.single = single;
    this.authorizers = authorizers;
    this.listeners = listeners;
  }

  /**
   * Checks the settings and says what they select.
   *
   * @throws F2pConfigurationException for a provider that is not on the class path or a name no
   *     selected provider declares
   */
  static SettingsPlan check(PolicySettings settings) {
    PolicySettings all = settings.scope("f2p");
    Map<String, Selected> single = new LinkedHashMap<>();
    Set<String> known = new HashSet<>();
    SINGLE.forEach((name, type) -> {
      String selector = name + "." + PolicyProviders.TYPE;
      known.add("f2p." + selector);
      all.get(selector).ifPresent(p -> single.put(name, new Selected("f2p." + selector, type, p, all.scope(name))));
    });
    known.addAll(CLIENT);
    known.add("f2p." + AUTHORIZERS);
    known.add("f2p." + LISTENERS);
    List<Selected> authorizers = listed(all, AUTHORIZERS, AUTHORIZER_SCOPE, AuthorizerProvider.class);
    List<Selected> listeners = listed(all, LISTENERS, LISTENER_SCOPE, SecurityEventListenerProvider.class);
    List<Selected> selected = new ArrayList<>(single.values());
    selected.addAll(authorizers);
    selected.addAll(listeners);
    for (Selected s : selected) {
      known.addAll(PolicyProviders.declaredPatterns(s.type(), s.provider(), s.scope()));
    }
    List<String> problems = new ArrayList<>();
    String first = null;
    for (String key : settings.asMap().keySet()) {
      if (key.startsWith("f2p.") && !SettingNames.matchesAny(known, key)) {
        problems.add(unknown(key, known, single, all));
        first = first == null ? key : first;
      }
    }
    if (!problems.isEmpty()) {
      throw new F2pConfigurationException(first, String.join("; ", problems));
    }
    return new SettingsPlan(Map.copyOf(single), List.copyOf(authorizers), List.copyOf(listeners));
  }

  private static List<Selected> listed(PolicySettings all, String listName, String scopePrefix,
      Class<? extends PolicyProvider<?>> type) {
    List<Selected> out = new ArrayList<>();
    for (String n : all.getList(listName)) {
      out.add(new Selected("f2p." + listName, type, n, all.scope(scopePrefix + n)));
    }
    return out;
  }

  private static String unknown(String key, Set<String> known, Map<String, Selected> single, PolicySettings all) {
    for (String name : SINGLE.keySet()) {
      if (key.startsWith("f2p." + name + ".") && !single.containsKey(name)) {
        return "unknown setting " + key + " (f2p." + name + "." + PolicyProviders.TYPE + " names no provider)";
      }
    }
    String message = String.valueOf(PolicyProviders.unknown(key, known, "no provider").getMessage());
    for (String[] list : new String[][] {{AUTHORIZERS, AUTHORIZER_SCOPE}, {LISTENERS, LISTENER_SCOPE}}) {
      String scope = "f2p." + list[1];
      if (key.startsWith(scope) && message.indexOf("did you mean") < 0) {
        String n = key.substring(scope.length()).split("\\.", 2)[0];
        if (!all.getList(list[0]).contains(n)) {
          return "unknown setting " + key + " (f2p." + list[0] + " does not list " + n + ")";
        }
      }
    }
    return message;
  }

  Optional<Selected> single(String name) {
    return Optional.ofNullable(single.get(name));
  }

  List<Selected> authorizers() {
    return authorizers;
  }

  List<Selected> listeners() {
    return listeners;
  }
}
