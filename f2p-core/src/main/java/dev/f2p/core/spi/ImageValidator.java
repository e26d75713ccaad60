package dev.f2p.core.spi;

import dev.f2p.core.Principal;

/**
 * Are these bytes a safe, allowed face image. Identifies the format from the bytes, checks sizes before
 * decoding, decodes with bounded memory and hands on clean pixels; refuses with
 * {@link dev.f2p.core.ReasonCode#IMAGE_REJECTED} (HTTP 413/415/422) and a detail code. Must never throw
 * on hostile input. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ImageValidator {
  /**
   * Decodes and checks an uploaded image.
   *
   * @param image the bytes as received; the validator must not keep or modify them
   * @param principal who sent them
   * @return allowed with the decoded image, or the refusal
   */
  Decision<ValidatedImage> validate(byte[] image, Principal principal);
}
