package dev.f2p.security.image;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import java.time.Duration;

/** Why an image was refused: the detail codes of {@link StandardImageValidator}, each with a safe message. */
enum Problem {
  FORMAT_NOT_ALLOWED(415, "The image format is not allowed; send a JPEG or PNG."),
  TOO_LARGE(413, "The image is too large."),
  TOO_SMALL(422, "The image is too small."),
  CORRUPT(422, "The image is corrupt or truncated."),
  POLYGLOT(422, "The image contains data that is not part of the image."),
  NO_FACE(422, "No face was found in the image."),
  MULTIPLE_FACES(422, "The image must show exactly one face."),
  FACE_TOO_SMALL(422, "The face must fill more of the image; send a cropped face."),
  FACE_CHECK_UNAVAILABLE(503, "The image could not be checked; try again later."),
  TOO_COMPLEX(422, "The image has too many parts or too much metadata."),
  /** Not the image's fault: no room in the decode budget in time; {@link ReasonCode#OVERLOADED}, 503. */
  DECODE_BUSY(ReasonCode.OVERLOADED, 503, ReasonCode.OVERLOADED.safeMessage(), Duration.ofSeconds(1));

  private final Rejection rejection;

  Problem(int status, String message) {
    this(ReasonCode.IMAGE_REJECTED, status, message, Duration.ZERO);
  }

  Problem(ReasonCode reason, int status, String message, Duration retryAfter) {
    this.rejection = Rejection.of(reason, name(), message).withHttpStatus(status).withRetryAfter(retryAfter);
  }

  Rejection rejection() {
    return rejection;
  }

  /** A refusal thrown from deep inside a parser; no stack trace, it is control flow on hostile input. */
  RefusedImage refuse() {
    return new RefusedImage(this);
  }

  static final class RefusedImage extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Problem problem;

    RefusedImage(Problem problem) {
      super(problem.name(), null, false, false);
      this.problem = problem;
    }
  }
}
