package dev.f2p.core.spi;

/**
 * Builds a policy from a name and settings, so a host can configure a client from a properties file
 * without compiling against implementations. Each SPI has its own provider interface (such as
 * {@link AuthenticatorProvider}), registered in {@code META-INF/services} under that interface's name and
 * found with {@link java.util.ServiceLoader}.
 *
 * @param <T> the SPI this provider builds
 */
public interface PolicyProvider<T> {
  /** The name hosts select this provider by, such as {@code api-key}; lower case, unique per SPI. */
  String name();

  /**
   * Builds the policy. Fails with an exception naming the setting when the settings are incomplete or
   * invalid: a policy that cannot be configured must never be replaced by a permissive one.
   */
  T create(PolicySettings settings) throws Exception;
}
