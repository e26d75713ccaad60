package dev.f2p.core.spi;

import dev.f2p.core.SecurityEvent;

/**
 * Where a component outside the request path (an integrity monitor, incident control) publishes its own
 * events, delivered to the client's listeners like the pipeline's. Thread-safe.
 */
@FunctionalInterface
public interface SecurityEventPublisher {
  /** A publisher that drops everything, until a client attaches a real one. */
  SecurityEventPublisher NONE = event -> {};

  /**
   * Delivers an event to every listener.
   *
   * @param event the event
   */
  void publish(SecurityEvent event);
}
