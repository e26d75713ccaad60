package dev.f2p.moderation;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.internal.Decorators;
import dev.f2p.core.spi.Decision;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check an output policy and an image validator share: classify, refuse above the thresholds, else
 * hand over to the next policy and add this check's event attributes to its decision ({@link Decorators}).
 * Thread-safe.
 */
final class NsfwCheck implements AutoCloseable {
  /** The detail code of a refusal for content. */
  static final String NSFW_CONTENT = "NSFW_CONTENT";
  /** The detail code of a refusal because the classifier failed (fail closed). */
  static final String CLASSIFIER_FAILED = "CLASSIFIER_FAILED";
  /** The attribute telling containment rules how sure a refusal is. */
  static final String CONFIDENCE = "confidence";

  private static final Logger LOG = LoggerFactory.getLogger(NsfwCheck.class);

  private final NsfwClassifier classifier;
  private final NsfwThresholds thresholds;
  private final String attributePrefix;
  private final List<AutoCloseable> owned;

  NsfwCheck(NsfwClassifier classifier, NsfwThresholds thresholds, String attributePrefix, List<AutoCloseable> owned) {
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    this.attributePrefix = attributePrefix;
    this.owned = List.copyOf(owned);
  }

  /**
   * Classifies {@code pixels}; refuses with {@code reason} and {@link #NSFW_CONTENT} above a threshold (the
   * next policy never runs), with {@link #CLASSIFIER_FAILED} when classification fails; else runs
   * {@code next} and adds the scores to its decision.
   */
  <T> Decision<T> check(BufferedImage pixels, ReasonCode reason, String safeMessage, String logLabel,
      Supplier<Decision<T>> next) {
    NsfwScores scores;
    try {
      scores = classifier.classify(pixels);
    } catch (NsfwClassificationException | RuntimeException e) {
      LOG.error("{}: NSFW classification failed; refusing", logLabel, e);
      return Decision.reject(Rejection.of(reason, CLASSIFIER_FAILED, reason.safeMessage()));
    }
    Optional<NsfwClass> refused = thresholds.refusal(scores);
    Map<String, String> attributes = new HashMap<>();
    NsfwClass shown = refused.orElseGet(scores::top);
    attributes.put(attributePrefix + ".class", shown.name().toLowerCase(Locale.ROOT));
    attributes.put(attributePrefix + ".probability", String.format(Locale.ROOT, "%.3f", scores.probability(shown)));
    if (refused.isPresent()) {
      // The classifier is sure past a threshold the host chose: this refusal counts towards containment.
      attributes.put(CONFIDENCE, "HIGH");
      return Decision.reject(Rejection.of(reason, NSFW_CONTENT, safeMessage), attributes);
    }
    return Decorators.handOver(next, attributes, reason, LOG, logLabel);
  }

  /** Closes what a provider built for this check (its classifier, its delegate). */
  @Override
  public void close() {
    Decorators.closeAll(owned, LOG);
  }

  @Override
  public String toString() {
    return classifier + ", " + thresholds;
  }
}
