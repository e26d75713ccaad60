package dev.f2p.core.spi;

import dev.f2p.core.ReasonCode;
import java.util.Objects;

/**
 * An engine fault: the model failed ({@link ReasonCode#ENGINE_FAILURE}), is unavailable
 * ({@link ReasonCode#ENGINE_UNAVAILABLE}, for example after tampering was detected) or was stopped at its
 * deadline ({@link ReasonCode#TIMEOUT}). The message is for the log; the caller only ever sees the
 * reason's safe message.
 */
public class EngineException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ReasonCode reason;

  public EngineException(ReasonCode reason, String message) {
    super(message);
    this.reason = checked(reason);
  }

  public EngineException(ReasonCode reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = checked(reason);
  }

  private static ReasonCode checked(ReasonCode reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason != ReasonCode.ENGINE_FAILURE && reason != ReasonCode.ENGINE_UNAVAILABLE
        && reason != ReasonCode.TIMEOUT) {
      throw new IllegalArgumentException("an engine fault is ENGINE_FAILURE, ENGINE_UNAVAILABLE or TIMEOUT: " + reason);
    }
    return reason;
  }

  public ReasonCode reason() {
    return reason;
  }
}
