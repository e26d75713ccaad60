package dev.f2p.moderation.semantic;

import java.io.IOException;

/**
 * A moderation service could not give a verdict (unreachable, slow, an error status, an answer too large
 * or malformed). The prompt filter refuses the prompt when a classifier throws it (fail closed). Its
 * message never holds the prompt or the service's answer.
 */
public final class ModerationException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message safe to log.
   *
   * @param message what went wrong, without prompt text or answer text
   */
  public ModerationException(String message) {
    super(message);
  }
}
