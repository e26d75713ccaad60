package dev.f2p.security.pdq;

import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.internal.Decorators;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ValidatedImage;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ImageValidator} decorator: the delegate checks and decodes the bytes, then the clean pixels are
 * hashed with PDQ and, when a list is configured, looked up. A listed picture is refused with
 * {@link ReasonCode#IMAGE_REJECTED} and detail {@code HASH_LISTED}; being image validation, this happens
 * before the resource guard is asked and long before any GPU work.
 *
 * <p>Every picture that reaches the hasher adds event attributes: {@code pdq.input} (the hash, PDQ hex),
 * {@code pdq.input.quality} (0..100) and, for a match, {@code pdq.input.match} (the listed hash) and
 * {@code pdq.input.match.distance}; so an incident responder can find every request that sent a given
 * picture. A delegate's refusal passes through untouched; a failure to hash refuses with detail
 * {@code FINGERPRINT_FAILED} (fail closed), a heap that runs out while hashing with
 * {@link ReasonCode#OVERLOADED} / {@code FINGERPRINT_BUSY} and a retry-after. Thread-safe if the delegate is.
 */
public final class PdqHashListValidator implements ImageValidator, AutoCloseable {
  /** The prefix of this validator's event attributes. */
  public static final String ATTRIBUTE = "pdq.input";
  private static final Logger LOG = LoggerFactory.getLogger(PdqHashListValidator.class);

  private final ImageValidator delegate;
  private final PdqListCheck check;
  private final List<AutoCloseable> owned;

  PdqHashListValidator(ImageValidator delegate, PdqListCheck check, List<AutoCloseable> owned) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.check = Objects.requireNonNull(check, "check");
    this.owned = List.copyOf(owned);
  }

  /**
   * Wraps {@code delegate}, checking what it accepts with {@code check}. Closing the result closes
   * neither: the caller owns both.
   *
   * @param delegate the validator that checks and decodes the bytes first
   * @param check the list, distance and transforms to check against
   * @return the decorated validator
   */
  public static PdqHashListValidator of(ImageValidator delegate, PdqListCheck check) {
    return new PdqHashListValidator(delegate, check, List.of());
  }

  /**
   * Wraps {@code delegate}, fingerprinting what it accepts and refusing nothing more: the event
   * attributes alone, for incident response.
   *
   * @param delegate the validator that checks and decodes the bytes first
   * @return the decorated validator
   */
  public static PdqHashListValidator fingerprinting(ImageValidator delegate) {
    return of(delegate, PdqListCheck.fingerprintOnly());
  }

  @Override
  public Decision<ValidatedImage> validate(byte[] image, Principal principal) {
    Decision<ValidatedImage> decided = delegate.validate(image, principal);
    if (!(decided instanceof Decision.Allowed<ValidatedImage> allowed)) {
      return decided;
    }
    PdqListCheck.Outcome outcome;
    try {
      outcome = check.check(allowed.value().pixels(), ATTRIBUTE);
    } catch (RuntimeException e) {
      LOG.error("PDQ hashing of a validated image failed; refusing", e);
      return Decision.reject(PdqListCheck.failed(ReasonCode.IMAGE_REJECTED), allowed.attributes());
    } catch (OutOfMemoryError e) {
      // Other work took the heap: not the picture's fault, so never a refusal of the picture.
      LOG.warn("the heap ran out while hashing a validated image; answering OVERLOADED");
      return Decision.reject(PdqListCheck.busy(), allowed.attributes());
    }
    var attributes = PdqListCheck.merge(allowed.attributes(), outcome.attributes());
    if (outcome.match().isPresent()) {
      return Decision.reject(PdqListCheck.listed(), attributes);
    }
    return Decision.allow(allowed.value(), attributes);
  }

  /** Closes what a provider built for this validator (its delegate, its reloading list). */
  @Override
  public void close() {
    Decorators.closeAll(owned, LOG);
  }

  @Override
  public String toString() {
    return "PdqHashListValidator{" + delegate + ", " + check + "}";
  }
}
