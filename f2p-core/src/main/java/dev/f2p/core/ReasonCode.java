package dev.f2p.core;

/**
 * Why a request was refused: a closed set, each with the HTTP status it maps to and a message that is
 * safe to show any caller.
 */
public enum ReasonCode {
  /** The request breaks a constraint of {@link EditRequest} (a size, a range, a missing part). */
  INVALID_REQUEST(400, "The request is malformed."),
  /** No credentials, or credentials that identify nobody. */
  UNAUTHENTICATED(401, "Missing or invalid API key."),
  /** The caller is known but may not do this (role, suspension, blocked address). */
  FORBIDDEN(403, "This caller may not make this request."),
  /** Too many requests; retry after the time given. */
  RATE_LIMITED(429, "Too many requests."),
  /** The prompt was refused by the prompt filter. */
  PROMPT_REJECTED(422, "The prompt is not allowed."),
  /** The image was refused by the image validator (format, size, content). */
  IMAGE_REJECTED(422, "The image is not allowed."),
  /** No capacity now (slots, queue, memory, circuit open); retry after the time given. */
  OVERLOADED(503, "The service is busy; try again later."),
  /** The request ran past its deadline and was stopped. */
  TIMEOUT(504, "The request took too long and was stopped."),
  /** The model could not be run (it is unloaded, unverified or tampered with). */
  ENGINE_UNAVAILABLE(503, "The image engine is unavailable."),
  /** The model failed while running. */
  ENGINE_FAILURE(500, "The image engine failed."),
  /** The output could not be labelled or was refused by the output policy. */
  OUTPUT_REJECTED(500, "The result could not be released."),
  /** An operator has locked the service down. */
  SERVICE_LOCKED_DOWN(503, "The service is temporarily unavailable.");

  private final int httpStatus;
  private final String safeMessage;

  ReasonCode(int httpStatus, String safeMessage) {
    this.httpStatus = httpStatus;
    this.safeMessage = safeMessage;
  }

  /** {@return the HTTP status this reason maps to by default} */
  public int httpStatus() {
    return httpStatus;
  }

  /** {@return a generic message that reveals nothing about the system} */
  public String safeMessage() {
    return safeMessage;
  }
}
