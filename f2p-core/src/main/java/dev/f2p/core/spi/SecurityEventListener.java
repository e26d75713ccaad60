package dev.f2p.core.spi;

import dev.f2p.core.SecurityEvent;

/**
 * Observes every security event. Called synchronously on the request's thread, possibly from many
 * threads at once: be fast and thread-safe. A listener never rejects; an exception it throws is logged
 * with the listener's class and never reaches the caller.
 */
@FunctionalInterface
public interface SecurityEventListener {
  /**
   * Receives one event.
   *
   * @param event the event
   */
  void onEvent(SecurityEvent event);
}
