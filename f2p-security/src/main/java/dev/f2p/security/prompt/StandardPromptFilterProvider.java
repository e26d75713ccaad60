package dev.f2p.security.prompt;

import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Provides {@link StandardPromptFilter} under the name {@code standard}. Settings (all optional):
 * <ul>
 *   <li>{@code max-chars}: default {@value StandardPromptFilter#DEFAULT_MAX_CHARS}
 *   <li>{@code max-bytes}: UTF-8 bytes, default {@value StandardPromptFilter#DEFAULT_MAX_BYTES}
 *   <li>{@code strip-characters}: {@code true} (default) removes control characters and {@code <>{}};
 *       {@code false} refuses prompts holding them
 *   <li>{@code blocklist.files}: comma list of block list files ({@code term<TAB>CATEGORY} lines, UTF-8)
 *   <li>{@code replace-builtin}: {@code true} uses only those files, without the built-in lists; default
 *       {@code false}
 *   <li>{@code low-confidence}: {@code refuse} (default), {@code allow} or {@code classifier}: what a
 *       refusal resting on one ambiguous term becomes
 *   <li>{@code classifier.type}: the name of a {@link ModerationClassifierProvider} ({@code chat-guard},
 *       {@code openai-moderation} from {@code f2p-moderation}); its own settings under
 *       {@code classifier.}, plus {@code classifier.timeout} (how long the filter waits, default 2s) and
 *       {@code classifier.threads} (how many classifications run at once, default
 *       {@value #DEFAULT_CLASSIFIER_THREADS}; more are refused)
 * </ul>
 * Stateless and thread-safe.
 */
public final class StandardPromptFilterProvider implements PromptFilterProvider {
  /** The name hosts select this filter by. */
  public static final String NAME = "standard";
  /** Classifications running at once by default, with a classifier from settings: {@value}. */
  public static final int DEFAULT_CLASSIFIER_THREADS = 4;

  @Override
  public String name() {
    return NAME;
  }

  private static StandardPromptFilter.LowConfidence lowConfidence(PolicySettings settings) {
    String value = settings.get("low-confidence", "refuse");
    try {
      return StandardPromptFilter.LowConfidence.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(settings.fullName("low-confidence") + " must be refuse, allow or classifier: "
          + value, e);
    }
  }

  /** Up to {@code threads} daemon threads that end when idle; a classification beyond them is refused. */
  private static Executor executor(int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "f2p-moderation-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    return pool;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    java.util.Set<String> names = new java.util.HashSet<>(java.util.Set.of("max-chars", "max-bytes",
        "strip-characters", "replace-builtin", "blocklist.files", "low-confidence", "classifier.type",
        "classifier.threads", "classifier.timeout"));
    settings.get("classifier.type").ifPresent(c -> names.addAll(
        PolicyProviders.settingNames(ModerationClassifierProvider.class, c, settings, "classifier")));
    return names;
  }

  @Override
  public PromptFilter create(PolicySettings settings) {
    StandardPromptFilter.Builder b = StandardPromptFilter.builder()
        .maxChars(settings.getInt("max-chars", StandardPromptFilter.DEFAULT_MAX_CHARS))
        .maxBytes(settings.getInt("max-bytes", StandardPromptFilter.DEFAULT_MAX_BYTES))
        .stripCharacters(settings.getBoolean("strip-characters", true))
        .lowConfidence(lowConfidence(settings));
    Optional<String> classifier = settings.get("classifier.type");
    if (classifier.isPresent()) {
      PolicySettings scope = settings.scope("classifier");
      int threads = settings.getInt("classifier.threads", DEFAULT_CLASSIFIER_THREADS);
      if (threads < 1 || threads > 256) {
        throw new IllegalArgumentException(settings.fullName("classifier.threads") + " must be 1..256: " + threads);
      }
      b.moderationClassifier(PolicyProviders.create(ModerationClassifierProvider.class, classifier.get(), scope),
          executor(threads), settings.getDuration("classifier.timeout", StandardPromptFilter.DEFAULT_MODERATION_TIMEOUT));
    }
    if (settings.getBoolean("replace-builtin", false)) {
      if (settings.getList("blocklist.files").isEmpty()) {
        throw new IllegalArgumentException(settings.fullName("replace-builtin")
            + " is true but " + settings.fullName("blocklist.files") + " names no file");
      }
      b.replaceBuiltInLists();
    }
    for (String file : settings.getList("blocklist.files")) {
      b.addBlockList(Path.of(file));
    }
    try {
      return b.build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(settings.fullName("blocklist.files") + ": " + e.getMessage(), e);
    }
  }
}
