package dev.f2p.moderation;

import dev.f2p.core.internal.Decorators;
import dev.f2p.core.spi.PolicyProvider;
import dev.f2p.core.spi.PolicySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The settings both {@code nsfw} providers read, in one place. */
final class NsfwSettings {
  static final String NAME = "nsfw";
  static final String DELEGATE = Decorators.DELEGATE;
  static final String DELEGATE_TYPE = Decorators.DELEGATE_TYPE;
  static final String THRESHOLD = "threshold";
  static final String SEXY_THRESHOLD = "sexy-threshold";
  static final String MODEL = "model";
  static final String MODEL_SHA256 = "model-sha256";
  static final String PREDICTORS = "predictors";
  static final String MAX_WAIT = "max-wait";

  private NsfwSettings() {}

  /** The names both providers read, and their delegate's under {@code delegate.}. */
  static <P extends PolicyProvider<?>> Set<String> settingNames(Class<P> type, PolicySettings settings) {
    return Decorators.settingNames(type, NAME,
        Set.of(THRESHOLD, SEXY_THRESHOLD, MODEL, MODEL_SHA256, PREDICTORS, MAX_WAIT), settings);
  }

  /** Where the classifier these settings describe is registered among the client's shared objects. */
  static String classifierKey(Optional<Path> model, Optional<String> sha256, int predictors, Duration maxWait) {
    return NsfwClassifier.class.getName() + "|" + model.map(Path::toString).orElse("built-in") + "|"
        + sha256.orElse("") + "|" + predictors + "|" + maxWait;
  }

  /** Makes a decorator from its classifier, thresholds, delegate and what it owns. */
  @FunctionalInterface
  interface Decorator<T, D> {
    D wrap(NsfwClassifier classifier, NsfwThresholds thresholds, T delegate, List<AutoCloseable> owned);
  }

  /** What a decorator checks with. */
  private record Check(NsfwClassifier classifier, NsfwThresholds thresholds) {}

  /**
   * Builds the decorator a provider returns: thresholds and classifier from these settings, the delegate
   * named by {@code delegate} (its settings under {@code delegate.}) or {@code fallback}'s.
   */
  static <T, P extends PolicyProvider<T>, D> D decorate(Class<P> type, PolicySettings settings,
      Supplier<T> fallback, Decorator<T, D> decorator) throws IOException {
    return Decorators.decorate(type, NAME, settings, fallback,
        owned -> {
          NsfwThresholds thresholds = thresholds(settings);
          NsfwClassifier classifier = classifier(settings);
          owned.add(classifier);
          return new Check(classifier, thresholds);
        },
        (check, delegate, owned) -> decorator.wrap(check.classifier(), check.thresholds(), delegate, owned));
  }

  static NsfwThresholds thresholds(PolicySettings settings) {
    double explicit = settings.getDouble(THRESHOLD, NsfwThresholds.DEFAULT_EXPLICIT);
    Optional<Double> sexy = settings.get(SEXY_THRESHOLD).map(v -> v.toLowerCase(Locale.ROOT).equals("off")
        ? Optional.<Double>empty()
        : Optional.of(settings.getDouble(SEXY_THRESHOLD, 0))).orElse(Optional.of(NsfwThresholds.DEFAULT_SEXY));
    try {
      return new NsfwThresholds(explicit, sexy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(settings.fullName(THRESHOLD) + " and " + settings.fullName(SEXY_THRESHOLD)
          + " must be in (0, 1] (" + SEXY_THRESHOLD + " may be off): " + e.getMessage(), e);
    }
  }

  /**
   * The classifier these settings describe; the image validator and the output policy of one client that
   * describe the same one share it (closing it twice is harmless).
   */
  static NsfwClassifier classifier(PolicySettings settings) throws IOException {
    NsfwClassifier.Builder b = NsfwClassifier.builder();
    Optional<Path> model = settings.getPath(MODEL).map(p -> p.toAbsolutePath().normalize());
    Optional<String> sha256 = settings.get(MODEL_SHA256);
    if (model.isPresent() != sha256.isPresent()) {
      throw new IllegalArgumentException(settings.fullName(MODEL) + " and " + settings.fullName(MODEL_SHA256)
          + " go together: a model file is loaded only with its SHA-256");
    }
    if (model.isPresent()) {
      b.model(model.get(), sha256.get());
    }
    int predictors = settings.getInt(PREDICTORS, NsfwClassifier.DEFAULT_PREDICTORS);
    Duration maxWait = settings.getDuration(MAX_WAIT, NsfwClassifier.DEFAULT_MAX_WAIT);
    try {
      b.predictors(predictors).maxWait(maxWait);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(settings.fullName(PREDICTORS) + " or " + settings.fullName(MAX_WAIT)
          + ": " + e.getMessage(), e);
    }
    String key = classifierKey(model, sha256, predictors, maxWait);
    try {
      return settings.shared(key, NsfwClassifier.class, () -> {
        try {
          return b.build();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      IOException cause = Objects.requireNonNull(e.getCause()); // an UncheckedIOException always has one
      throw new IOException(settings.fullName(MODEL) + ": " + cause.getMessage(), cause);
    }
  }
}
