package dev.f2p.moderation;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.OutputContext;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.core.spi.OutputPolicy;
import java.util.List;
import java.util.Objects;

/**
 * An {@link OutputPolicy} decorator that classifies every output with the {@link NsfwClassifier} before
 * anything else sees it. An output above the {@link NsfwThresholds} is refused with
 * {@link ReasonCode#OUTPUT_REJECTED} and detail {@value #NSFW_CONTENT}: the delegate (the policy that labels,
 * watermarks and encodes) never runs, so the picture is never encoded nor released. A classifier that fails
 * refuses too, with detail {@value #CLASSIFIER_FAILED} (fail closed).
 *
 * <p>Composes with the other output policies by wrapping them: {@code NsfwOutputPolicy} around the PDQ
 * policy around the provenance policy classifies first, then fingerprints, then labels. Settings:
 * {@link NsfwOutputPolicyProvider}.
 *
 * <p>Event attributes: {@code nsfw.output.class} (the refused class, or the most probable one, in lower
 * case) and {@code nsfw.output.probability}; a refusal for content adds {@code confidence=HIGH}, so
 * containment rules such as {@code OUTPUT_REJECTED/NSFW_CONTENT by principal 3/1h -> suspend 1d} count it.
 * Thread-safe if the delegate is.
 */
public final class NsfwOutputPolicy implements OutputPolicy, AutoCloseable {
  /** The detail code of an output refused for its content. */
  public static final String NSFW_CONTENT = NsfwCheck.NSFW_CONTENT;
  /** The detail code of an output refused because it could not be classified. */
  public static final String CLASSIFIER_FAILED = NsfwCheck.CLASSIFIER_FAILED;
  /** The message a caller sees for an output refused for its content. */
  public static final String SAFE_MESSAGE = "The result was withheld by the content policy.";
  /** The prefix of this policy's event attributes. */
  public static final String ATTRIBUTE = "nsfw.output";

  private final NsfwCheck check;
  private final OutputPolicy delegate;

  NsfwOutputPolicy(NsfwClassifier classifier, NsfwThresholds thresholds, OutputPolicy delegate,
      List<AutoCloseable> owned) {
    this.check = new NsfwCheck(classifier, thresholds, ATTRIBUTE, owned);
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Classifies outputs with {@code classifier}, refusing above {@code thresholds}, and hands the rest to
   * {@code delegate}. Closing this policy closes neither.
   *
   * @param classifier the classifier, shared
   * @param thresholds when to refuse
   * @param delegate the policy that labels and encodes what passes, such as {@link OutputPolicy#plainPng()}
   * @return the policy
   */
  public static NsfwOutputPolicy of(NsfwClassifier classifier, NsfwThresholds thresholds, OutputPolicy delegate) {
    return new NsfwOutputPolicy(classifier, thresholds, delegate, List.of());
  }

  @Override
  public Decision<OutputImage> apply(GeneratedImage image, OutputContext context) {
    return check.check(image.pixels(), ReasonCode.OUTPUT_REJECTED, SAFE_MESSAGE, "request " + context.requestId(),
        () -> delegate.apply(image, context));
  }

  /** Closes what a provider built for this policy (its classifier, its delegate). */
  @Override
  public void close() {
    check.close();
  }

  @Override
  public String toString() {
    return "NsfwOutputPolicy{" + check + ", delegate=" + delegate + "}";
  }
}
