package dev.f2p.core.spi;

import dev.f2p.core.Principal;
import java.util.Objects;

/**
 * What an {@link OutputPolicy} knows about the output it releases.
 *
 * @param requestId the request's id
 * @param principal who asked for it
 * @param input the validated input image, to compare or fingerprint against
 */
public record OutputContext(String requestId, Principal principal, ValidatedImage input) {
  /**
   * Nothing may be null.
   *
   * @param requestId the request's id
   * @param principal who asked for it
   * @param input the validated input image, to compare or fingerprint against
   */
  public OutputContext {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(input, "input");
  }
}
