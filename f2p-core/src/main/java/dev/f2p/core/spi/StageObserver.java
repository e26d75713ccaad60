package dev.f2p.core.spi;

import dev.f2p.core.Outcome;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Stage;
import java.util.Optional;

/**
 * Told when each pipeline stage starts and how it ended, on the thread that runs it: the hook a tracing
 * system hangs one span per stage on (the Spring Boot starter opens a Micrometer {@code Observation}, which
 * Boot bridges to OpenTelemetry or Brave). It sees the stage, the request id, the outcome and the reason
 * code only: never a key, a prompt, an image or an address, so what it records cannot leak them.
 *
 * <p>Called synchronously around every stage of every request: {@link #start} and {@link Span#end} must
 * be cheap and must not block. One that throws is logged and ignored; the request goes on as if it were
 * absent. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface StageObserver {
  /**
   * A stage starts.
   *
   * @param stage the stage: {@link Stage#REQUEST_VALIDATION} to {@link Stage#OUTPUT}
   * @param requestId the request's id, as in its events
   * @return what ends it; called once, on the same thread
   */
  Span start(Stage stage, String requestId);

  /** One stage in progress. */
  @FunctionalInterface
  interface Span {
    /**
     * The stage ended.
     *
     * @param outcome {@link Outcome#ALLOWED} or {@link Outcome#REJECTED}
     * @param reason the reason of a rejection; empty when allowed
     */
    void end(Outcome outcome, Optional<ReasonCode> reason);
  }
}
