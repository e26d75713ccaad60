package dev.f2p.core.internal;

import dev.f2p.core.SecurityEvent;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventPublisher;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Delivers events to every listener; a listener that throws is logged and skipped. Thread-safe. */
public final class EventDispatcher implements SecurityEventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  /** The MDC key of the request id while listeners hear an event of that request. */
  public static final String REQUEST_ID = "requestId";

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
    // The request id in the MDC while listeners run, so a log line a listener writes (the security log)
    // carries it as a field, next to the trace id a tracing bridge keeps there; restored afterwards.
    String previous = MDC.get(REQUEST_ID);
    event.requestId().ifPresent(id -> MDC.put(REQUEST_ID, id));
    try {
      for (SecurityEventListener listener : listeners) {
        try {
          listener.onEvent(event);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
          LOG.warn("security event listener {} threw on {} event; ignored", listener.getClass().getName(),
              event.stage(), e);
        }
      }
    } finally {
      if (previous == null) {
        MDC.remove(REQUEST_ID);
      } else {
        MDC.put(REQUEST_ID, previous);
      }
    }
  }
}
