package dev.f2p.security.pdq;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.internal.Decorators;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.OutputContext;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.core.spi.OutputPolicy;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OutputPolicy} decorator: hashes what the engine made with PDQ and, when a list is configured,
 * refuses a listed output with {@link ReasonCode#IMAGE_REJECTED} and detail {@code HASH_LISTED} before the
 * delegate labels and encodes it; otherwise the delegate runs as usual.
 *
 * <p>Adds event attributes {@code pdq.output} (the hash, PDQ hex), {@code pdq.output.quality} and, for a
 * match, {@code pdq.output.match} and {@code pdq.output.match.distance}, so every output made from a given
 * photo can be found again. The hash is of the engine's pixels, before any visible label or watermark.
 * A failure to hash refuses with {@link ReasonCode#OUTPUT_REJECTED} and detail {@code FINGERPRINT_FAILED}.
 * Thread-safe if the delegate is.
 */
public final class PdqHashListOutputPolicy implements OutputPolicy, AutoCloseable {
  /** The prefix of this policy's event attributes. */
  public static final String ATTRIBUTE = "pdq.output";
  private static final Logger LOG = LoggerFactory.getLogger(PdqHashListOutputPolicy.class);

  private final OutputPolicy delegate;
  private final PdqListCheck check;
  private final List<AutoCloseable> owned;

  PdqHashListOutputPolicy(OutputPolicy delegate, PdqListCheck check, List<AutoCloseable> owned) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.check = Objects.requireNonNull(check, "check");
    this.owned = List.copyOf(owned);
  }

  /**
   * Wraps {@code delegate}, checking outputs with {@code check}. Closing the result closes neither: the
   * caller owns both.
   *
   * @param delegate the policy that labels and encodes outputs that pass
   * @param check the list, distance and transforms to check against
   * @return the decorated policy
   */
  public static PdqHashListOutputPolicy of(OutputPolicy delegate, PdqListCheck check) {
    return new PdqHashListOutputPolicy(delegate, check, List.of());
  }

  /**
   * Wraps {@code delegate}, fingerprinting outputs and refusing nothing more: the event attributes alone,
   * for finding outputs later.
   *
   * @param delegate the policy that labels and encodes outputs
   * @return the decorated policy
   */
  public static PdqHashListOutputPolicy fingerprinting(OutputPolicy delegate) {
    return of(delegate, PdqListCheck.fingerprintOnly());
  }

  @Override
  public Decision<OutputImage> apply(GeneratedImage image, OutputContext context) {
    PdqListCheck.Outcome outcome;
    try {
      outcome = check.check(image.pixels(), ATTRIBUTE);
    } catch (RuntimeException e) {
      LOG.error("request {}: PDQ hashing of the output failed; refusing", context.requestId(), e);
      return Decision.reject(PdqListCheck.failed(ReasonCode.OUTPUT_REJECTED));
    }
    if (outcome.match().isPresent()) {
      return Decision.reject(PdqListCheck.listed(), outcome.attributes());
    }
    return Decorators.handOver(() -> delegate.apply(image, context), outcome.attributes(), ReasonCode.OUTPUT_REJECTED,
        LOG, "request " + context.requestId());
  }

  /** Closes what a provider built for this policy (its delegate, its reloading list). */
  @Override
  public void close() {
    Decorators.closeAll(owned, LOG);
  }

  @Override
  public String toString() {
    return "PdqHashListOutputPolicy{" + delegate + ", " + check + "}";
  }
}
