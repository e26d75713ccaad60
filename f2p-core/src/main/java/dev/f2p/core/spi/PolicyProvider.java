package dev.f2p.core.spi;

import java.util.Set;

/**
 * Builds a policy from a name and settings, so a host can configure a client from a properties file
 * without compiling against implementations. Each SPI has its own provider interface (such as
 * {@link AuthenticatorProvider}), registered in {@code META-INF/services} under that interface's name and
 * found with {@link java.util.ServiceLoader}.
 *
 * @param <T> the SPI this provider builds
 */
public interface PolicyProvider<T> {
  /**
   * The name hosts select this provider by.
   *
   * @return a lower-case name such as {@code api-key}, unique per SPI
   */
  String name();

  /**
   * Builds the policy. Fails with an exception naming the setting when the settings are incomplete or
   * invalid: a policy that cannot be configured must never be replaced by a permissive one.
   *
   * @param settings this provider's settings, names relative to its scope
   * @return the policy, never null
   * @throws Exception when the settings are incomplete or invalid, or a resource cannot be read
   */
  T create(PolicySettings settings) throws Exception;

  /**
   * Every setting this provider reads, relative to its scope: {@code Set.of("bundle", "trusted-keys")}
   * for {@code f2p.engine.bundle} and {@code f2p.engine.trusted-keys}. The client refuses any name under
   * {@code f2p.} that no selected provider declares, suggesting the nearest declared one, before it
   * builds anything; and a provider that reads a name it does not declare fails at once, so a missing
   * declaration shows in the first test that builds the provider from settings.
   *
   * <p>Patterns: {@code *} stands for one name segment ({@code *.max-width} for
   * {@code USER.max-width}); a trailing {@code *} for one or more ({@code limits.*} for
   * {@code limits.USER} and {@code limits.principal.alice}). A name starting with {@code f2p.} is a full
   * name, for a scope several providers share ({@code f2p.redis.*}). A provider that hands part of its
   * scope to another provider adds that provider's names ({@link PolicyProviders#settingNames}).
   *
   * @param settings this provider's settings, to look up what a delegating provider hands on
   * @return the names and patterns this provider reads; the default, none
   */
  default Set<String> settingNames(PolicySettings settings) {
    return Set.of();
  }
}
