package dev.f2p.core.spi;

/**
 * Implemented by a policy or engine that raises events of its own. The client attaches its publisher when
 * it is built; the component publishes through it from then on.
 */
public interface SecurityEventSource {
  /**
   * Hands the component the client's publisher.
   *
   * @param publisher where its events go from now on
   */
  void attach(SecurityEventPublisher publisher);
}
