package dev.f2p.core.spi;

/**
 * Implemented by a policy or engine that raises events of its own. The client attaches its publisher when
 * it is built; the component publishes through it from then on.
 */
public interface SecurityEventSource {
  void attach(SecurityEventPublisher publisher);
}
