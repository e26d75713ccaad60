package dev.f2p.core.spi;

import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.internal.Providers;
import dev.f2p.core.internal.SettingNames;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/** Finds and runs {@link PolicyProvider}s registered through {@link ServiceLoader}. Stateless. */
public final class PolicyProviders {
  /**
   * The key that selects a provider inside the scope it configures: {@code f2p.engine.type=djl} with the
   * engine's settings beside it, {@code f2p.output-policy.delegate.type=provenance} for a nested one. A
   * provider never declares or reads it; every provider's scope may hold it.
   */
  public static final String TYPE = "type";

  private PolicyProviders() {}

  /**
   * Builds the policy the provider named {@code name} makes, after checking that every setting in
   * {@code settings} is one the provider declares ({@link PolicyProvider#settingNames}). The provider may
   * read only names it declares.
   *
   * @param providerType the provider interface, such as {@link AuthenticatorProvider}
   * @param name the provider's name
   * @param settings the provider's settings, scoped to it
   * @param <T> the SPI
   * @param <P> the provider interface
   * @return the policy
   * @throws F2pConfigurationException naming what is on the class path when no provider has that name,
   *     naming the setting when a name is unknown, naming the provider (and the cause) when it cannot build
   */
  public static <T, P extends PolicyProvider<T>> T create(Class<P> providerType, String name, PolicySettings settings) {
    return create(providerType, name, settings, (provider, bound) -> provider.create(bound));
  }

  /**
   * {@link #create} for a resource guard in front of {@code engine}: the provider's
   * {@link ResourceGuardProvider#create(PolicySettings, ImageEditEngine)}, so the guard is sized from the
   * engine's {@link ImageEditEngine#capacityPlan() capacity plan}. What the client calls once the engine is
   * built.
   *
   * @param name the provider's name, such as {@code standard}
   * @param settings the provider's settings, scoped to it
   * @param engine the engine the guard admits requests to
   * @return the guard
   * @throws F2pConfigurationException as {@link #create} does
   */
  public static ResourceGuard createResourceGuard(String name, PolicySettings settings, ImageEditEngine engine) {
    java.util.Objects.requireNonNull(engine, "engine");
    return create(ResourceGuardProvider.class, name, settings, (provider, bound) -> provider.create(bound, engine));
  }

  /** How a provider, once found and its settings checked, is asked for its policy. */
  @FunctionalInterface
  private interface Call<P, T> {
    T create(P provider, PolicySettings bound) throws Exception;
  }

  private static <T, P extends PolicyProvider<T>> T create(Class<P> providerType, String name, PolicySettings settings,
      Call<P, T> call) {
    P provider = find(providerType, name, settings);
    Set<String> declared = declared(provider, settings);
    Set<String> enclosing = settings.enclosingPatterns();
    for (String key : settings.asMap().keySet()) {
      if (key.equals(TYPE)) {
        continue; // the selector that chose this provider
      }
      String full = settings.fullName(key);
      // A provider handed settings by another reads them beside it: what the other declared is known too.
      if (!SettingNames.matchesAny(declared, full) && !SettingNames.matchesAny(enclosing, full)) {
        throw unknown(full, declared, providerType.getSimpleName() + " '" + name + "'");
      }
    }
    PolicySettings bound = settings.declare(name, declared);
    String what = providerType.getSimpleName() + " '" + name + "'";
    T policy;
    try {
      policy = call.create(provider, bound);
    } catch (F2pConfigurationException e) {
      throw e;
    } catch (Exception e) {
      throw new F2pConfigurationException(scopeName(settings), what + " (" + scopeName(settings) + ") failed: "
          + e.getMessage(), e);
    }
    if (policy == null) {
      throw new F2pConfigurationException(scopeName(settings), what + " returned null");
    }
    return policy;
  }

  /**
   * The setting names the provider named {@code name} declares, relative to {@code settings}' scope (full
   * names stay full): what a provider that hands its settings, or a part of them, to another provider adds
   * to its own {@link PolicyProvider#settingNames}.
   *
   * @param providerType the provider interface
   * @param name the provider's name
   * @param settings the settings the provider will be given
   * @param <P> the provider interface
   * @return the declared names and patterns
   * @throws F2pConfigurationException when no provider has that name
   */
  public static <P extends PolicyProvider<?>> Set<String> settingNames(Class<P> providerType, String name,
      PolicySettings settings) {
    return Set.copyOf(find(providerType, name, settings).settingNames(settings));
  }

  /**
   * The setting names the provider named {@code name} declares over the scope {@code under} of
   * {@code settings}, relative to {@code settings} ({@code delegate.max-pixels}; full names stay full):
   * what a provider that hands the settings under {@code under} to another adds to its own.
   *
   * @param providerType the provider interface
   * @param name the provider's name
   * @param settings the handing provider's settings
   * @param under the scope handed on, such as {@code delegate}
   * @param <P> the provider interface
   * @return the declared names and patterns, prefixed with {@code under + "."}
   * @throws F2pConfigurationException when no provider has that name
   */
  public static <P extends PolicyProvider<?>> Set<String> settingNames(Class<P> providerType, String name,
      PolicySettings settings, String under) {
    return settingNames(providerType, name, settings.scope(under)).stream()
        .map(n -> n.startsWith("f2p.") ? n : under + "." + n).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The full patterns the provider named {@code name} declares over {@code settings}' scope.
   *
   * @param providerType the provider interface
   * @param name the provider's name
   * @param settings the provider's settings, scoped to it
   * @param <P> the provider interface
   * @return full patterns, such as {@code f2p.engine.bundle}
   * @throws F2pConfigurationException when no provider has that name
   */
  public static <P extends PolicyProvider<?>> Set<String> declaredPatterns(Class<P> providerType, String name,
      PolicySettings settings) {
    return declared(find(providerType, name, settings), settings);
  }

  /**
   * An unknown-setting error with the nearest declared name, or, for a selector's old name
   * ({@code f2p.engine} where {@code f2p.engine.type} is declared), the new one.
   *
   * @param full the unknown name
   * @param declared the full patterns it was checked against
   * @param owner who declared them, for the message
   * @return the exception to throw
   */
  public static F2pConfigurationException unknown(String full, Set<String> declared, String owner) {
    String selector = full + "." + TYPE;
    if (SettingNames.matchesAny(declared, selector)) {
      // A selector's old name: a key that names an implementation cannot also hold its settings in YAML.
      return new F2pConfigurationException(full, "setting " + full + " is now " + selector
          + " (a setting that selects an implementation is its type key, beside that implementation's settings)");
    }
    String hint = SettingNames.nearest(declared, full).map(n -> "; did you mean " + n + "?")
        .orElse(declared.isEmpty() ? " (" + owner + " declares no settings)" : "");
    return new F2pConfigurationException(full, "unknown setting " + full + hint);
  }

  private static Set<String> declared(PolicyProvider<?> provider, PolicySettings settings) {
    Set<String> names;
    try {
      names = provider.settingNames(settings);
    } catch (F2pConfigurationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new F2pConfigurationException(scopeName(settings), "provider '" + provider.name()
          + "' (" + scopeName(settings) + ") could not list its settings: " + e.getMessage(), e);
    }
    return names.stream().map(n -> SettingNames.absolute(settings.prefix(), n)).collect(Collectors.toUnmodifiableSet());
  }

  private static <P extends PolicyProvider<?>> P find(Class<P> providerType, String name, PolicySettings settings) {
    return Providers.find(providerType, name).orElseThrow(() -> new F2pConfigurationException(scopeName(settings),
        "no " + providerType.getSimpleName() + " named '" + name + "' on the class path (" + scopeName(settings)
            + "); found " + Providers.names(providerType)));
  }

  /** The setting that selected the provider: {@code f2p.engine} for the scope {@code f2p.engine.}. */
  private static String scopeName(PolicySettings settings) {
    String p = settings.prefix();
    return p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
  }
}
