package dev.f2p.core.internal;

import dev.f2p.core.SecurityEvent;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventPublisher;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to every listener; a listener that throws is logged and skipped. Thread-safe. */
public final class EventDispatcher implements SecurityEventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  private final List<SecurityEventListener> listeners;

  public EventDispatcher(List<SecurityEventListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Whether anyone listens: when not, callers skip building events at all. */
  public boolean hasListeners() {
    return !listeners.isEmpty();
  }

  @Override
  public void publish(SecurityEvent event) {
    for (SecurityEventListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException | LinkageError | StackOverflowError e) {
        LOG.warn("security event listener {} threw on {} event; ignored", listener.getClass().getName(),
            event.stage(), e);
      }
    }
  }
}
