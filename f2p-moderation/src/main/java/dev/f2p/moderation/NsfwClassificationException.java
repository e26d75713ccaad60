package dev.f2p.moderation;

import org.jspecify.annotations.Nullable;

/**
 * The classifier could not classify a picture: it is closed, every predictor stayed busy past the wait,
 * or the model failed. A fault, not a verdict: policies refuse the picture (fail closed).
 */
public final class NsfwClassificationException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * A failure with a message naming what went wrong (never the picture).
   *
   * @param message what went wrong
   * @param cause the underlying fault, or {@code null}
   */
  public NsfwClassificationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
