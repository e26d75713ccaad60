package dev.f2p.moderation;

import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ValidatedImage;
import java.util.List;
import java.util.Objects;

/**
 * An {@link ImageValidator} decorator: the delegate checks and decodes the upload, then the
 * {@link NsfwClassifier} classifies the clean pixels; an upload above the {@link NsfwThresholds} is refused
 * with {@link ReasonCode#IMAGE_REJECTED} and detail {@value #NSFW_CONTENT} before any capacity is asked for.
 * The delegate's own refusals pass through unclassified; a classifier that fails refuses with detail
 * {@value #CLASSIFIER_FAILED} (fail closed). Event attributes as {@link NsfwOutputPolicy}'s, under
 * {@code nsfw.input}. Settings: {@link NsfwImageValidatorProvider}. Thread-safe if the delegate is.
 */
public final class NsfwImageValidator implements ImageValidator, AutoCloseable {
  /** The detail code of an upload refused for its content. */
  public static final String NSFW_CONTENT = NsfwCheck.NSFW_CONTENT;
  /** The detail code of an upload refused because it could not be classified. */
  public static final String CLASSIFIER_FAILED = NsfwCheck.CLASSIFIER_FAILED;
  /** The message a caller sees for an upload refused for its content. */
  public static final String SAFE_MESSAGE = "The image is not allowed by the content policy.";
  /** The prefix of this validator's event attributes. */
  public static final String ATTRIBUTE = "nsfw.input";

  private final NsfwCheck check;
  private final ImageValidator delegate;

  NsfwImageValidator(NsfwClassifier classifier, NsfwThresholds thresholds, ImageValidator delegate,
      List<AutoCloseable> owned) {
    this.check = new NsfwCheck(classifier, thresholds, ATTRIBUTE, owned);
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Classifies what {@code delegate} accepts with {@code classifier}, refusing above {@code thresholds}.
   * Closing this validator closes neither.
   *
   * @param classifier the classifier, shared
   * @param thresholds when to refuse
   * @param delegate the validator that checks and decodes the bytes
   * @return the validator
   */
  public static NsfwImageValidator of(NsfwClassifier classifier, NsfwThresholds thresholds, ImageValidator delegate) {
    return new NsfwImageValidator(classifier, thresholds, delegate, List.of());
  }

  @Override
  public Decision<ValidatedImage> validate(byte[] image, Principal principal) {
    Decision<ValidatedImage> decoded = delegate.validate(image, principal);
    if (!(decoded instanceof Decision.Allowed<ValidatedImage> allowed)) {
      return decoded;
    }
    return check.check(allowed.value().pixels(), ReasonCode.IMAGE_REJECTED, SAFE_MESSAGE, "upload by " + principal.id(),
        () -> decoded);
  }

  /** Closes what a provider built for this validator (its classifier, its delegate). */
  @Override
  public void close() {
    check.close();
  }

  @Override
  public String toString() {
    return "NsfwImageValidator{" + check + ", delegate=" + delegate + "}";
  }
}
