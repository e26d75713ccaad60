package dev.f2p.security.prompt;

import static dev.f2p.core.internal.BuilderOptions.require;

import dev.f2p.core.Confidence;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.internal.BuilderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link PromptFilter}. In order, each step refusing with {@link ReasonCode#PROMPT_REJECTED}
 * (HTTP 422), a detail code, the category in the decision attribute {@value #CATEGORY_ATTRIBUTE} and a
 * {@link Confidence} (also in {@value #CONFIDENCE_ATTRIBUTE}):
 * <ol>
 *   <li>length in characters and UTF-8 bytes, before and after normalisation ({@code TOO_LONG});
 *   <li>cleaning: NFKC, zero-width and bidi controls and other invisible characters dropped, whitespace
 *       collapsed; control characters and {@code <>{}} dropped, or refused ({@code CONTROL_CHARACTERS},
 *       {@code FORBIDDEN_CHARACTERS}) when {@link Builder#stripCharacters(boolean)} is off;
 *   <li>the lexical layer: the prompt, with markup tags removed and any text hidden in base64, hex,
 *       percent-encoding or character references decoded, read through ICU (NFKC case folding, UTS #39
 *       look-alike skeletons, transliteration of Cyrillic, Greek, Armenian and the other alphabets to
 *       Latin), leetspeak and emoji read as the letters and words they stand for, words split by spaces,
 *       dots, hyphens or markup joined again; then the lists (ten languages, every category, with harmless
 *       phrases such as {@code nude lipstick} taken out) and the {@link Rules rules} over them (a minor
 *       with anything sexual, an undressing verb near clothing, a public figure in a deceptive setting);
 *       the detail is the category, such as {@code SEXUAL_MINORS};
 *   <li>a refusal resting on one ambiguous term has {@link Confidence#LOW}: refused, allowed, or asked of
 *       the classifier, as {@link Builder#lowConfidence(LowConfidence)} says;
 *   <li>the {@link ModerationClassifier}, if any, on an executor with a timeout ({@code MODERATION_UNAVAILABLE}
 *       when it fails or is late).
 * </ol>
 * {@link #checkNegative} applies the negative prompt's own rules (see {@link Rules}): naming nudity there
 * is the usual safe use; excluding clothing asks for a nude. The classifier does not see negative prompts.
 * An allowed decision hands on the cleaned prompt (not case folded). A refusal never names the matched term.
 * When a prompt matches several categories, the most severe of the surest is reported, in the order
 * {@code SEXUAL_MINORS}, {@code NON_CONSENSUAL}, {@code IDENTITY_DOCUMENT}, {@code IMPERSONATION},
 * {@code SELF_HARM}, {@code VIOLENCE}, {@code HATE}, then host categories.
 *
 * <p>Thread-safe and immutable; share one. Matching is linear in the prompt's length whatever the number
 * of terms (Aho-Corasick automata); the ICU readings are tabulated once per JVM (see {@link Fold}).
 */
public final class StandardPromptFilter implements PromptFilter {
  /** Most characters (UTF-16 units) in a prompt: {@value}. */
  public static final int DEFAULT_MAX_CHARS = 2000;
  /** Most UTF-8 bytes in a prompt: {@value}. */
  public static final int DEFAULT_MAX_BYTES = 8000;
  /** Time the moderation classifier gets: 2 seconds. */
  public static final Duration DEFAULT_MODERATION_TIMEOUT = Duration.ofSeconds(2);
  /** The decision attribute holding a refused prompt's category. */
  public static final String CATEGORY_ATTRIBUTE = "prompt.category";
  /** The decision attribute holding a refusal's confidence, {@code HIGH} or {@code LOW}. */
  public static final String CONFIDENCE_ATTRIBUTE = "prompt.confidence";
  /** The decision attribute saying which part was refused: {@code prompt} or {@code negative}. */
  public static final String PART_ATTRIBUTE = "prompt.part";

  /** What happens to a prompt whose only finding has {@link Confidence#LOW}. */
  public enum LowConfidence {
    /** Refused, with {@link Confidence#LOW} (the default): containment rules do not count it. */
    REFUSE,
    /** Allowed (the classifier, if any, still sees it like every prompt). */
    ALLOW,
    /** Decided by the moderation classifier alone; needs one. */
    CLASSIFIER
  }

  private static final Logger LOG = LoggerFactory.getLogger(StandardPromptFilter.class);
  private static final String SAFE_MESSAGE = ReasonCode.PROMPT_REJECTED.safeMessage();

  private final int maxChars;
  private final int maxBytes;
  private final boolean stripCharacters;
  private final Lexicon lexicon;
  private final LowConfidence lowConfidence;
  private final Optional<Moderation> moderation;
  private final Duration timeout;

  private StandardPromptFilter(Builder b, Lexicon lexicon) {
    this.maxChars = b.maxChars;
    this.maxBytes = b.maxBytes;
    this.stripCharacters = b.stripCharacters;
    this.lexicon = lexicon;
    this.lowConfidence = b.lowConfidence;
    this.moderation = b.classifier == null || b.executor == null
        ? Optional.empty() : Optional.of(new Moderation(b.classifier, b.executor));
    this.timeout = b.timeout;
  }

  /**
   * A filter with the defaults and the built-in lists.
   *
   * @return the filter; immutable and thread-safe
   */
  public static StandardPromptFilter create() {
    return builder().build();
  }

  /**
   * A builder with the defaults and the built-in lists.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * How many distinct terms the lists hold, built-in and added: a quick check that a list file was read.
   *
   * @return the count of distinct terms
   */
  public int termCount() {
    return lexicon.termCount;
  }

  @Override
  public Decision<String> check(String prompt, Principal principal) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(principal, "principal");
    Decision<String> cleaned = clean(prompt, "prompt");
    if (!(cleaned instanceof Decision.Allowed<String> text)) {
      return cleaned;
    }
    Rules.Finding finding = lexical(prompt, text.value()).best;
    boolean ask = moderation.isPresent();
    if (finding != null) {
      if (finding.confidence() == Confidence.HIGH || lowConfidence == LowConfidence.REFUSE) {
        return refuse(finding.category(), finding.confidence(), "prompt");
      }
      ask |= lowConfidence == LowConfidence.CLASSIFIER;
    }
    if (ask) {
      Optional<String> category = moderate(moderation.orElseThrow(), text.value(), principal);
      if (category.isPresent()) {
        return refuse(category.get(), Confidence.HIGH, "prompt");
      }
    }
    return text;
  }

  @Override
  public Decision<String> checkNegative(String negativePrompt, String prompt, Principal principal) {
    Objects.requireNonNull(negativePrompt, "negativePrompt");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(principal, "principal");
    Decision<String> cleaned = clean(negativePrompt, "negative");
    if (!(cleaned instanceof Decision.Allowed<String> text)) {
      return cleaned;
    }
    Rules.Finding finding = Rules.negative(lexicon, lexicalHits(negativePrompt, text.value()).hits,
        lexical(prompt, PromptText.clean(prompt).text()));
    return finding == null ? text : refuse(finding.category(), finding.confidence(), "negative");
  }

  /** Length and character checks; the cleaned text. */
  private Decision<String> clean(String prompt, String part) {
    if (tooLong(prompt)) {
      return refuse("TOO_LONG", Confidence.HIGH, part);
    }
    PromptText.Cleaned cleaned = PromptText.clean(prompt);
    if (!stripCharacters && cleaned.finding() != PromptText.Finding.NONE) {
      return refuse(cleaned.finding() == PromptText.Finding.CONTROL ? "CONTROL_CHARACTERS" : "FORBIDDEN_CHARACTERS",
          Confidence.HIGH, part);
    }
    String text = cleaned.text();
    if (text != prompt && tooLong(text)) {
      return refuse("TOO_LONG", Confidence.HIGH, part); // NFKC can expand a character up to 18 times
    }
    return Decision.allow(text);
  }

  private record Scanned(PromptScan scan, Rules.Hits hits) {}

  private Scanned lexicalHits(String raw, String cleaned) {
    String untagged = EncodedText.withoutTags(raw);
    String source = untagged == raw ? cleaned : PromptText.clean(untagged).text();
    String folded = Fold.caseFold(source);
    List<String> hidden = EncodedText.decoded(source);
    if (!hidden.isEmpty()) {
      StringBuilder all = new StringBuilder(folded);
      for (String h : hidden) {
        all.append('\n').append(Fold.caseFold(PromptText.clean(EncodedText.withoutTags(h)).text()));
      }
      folded = all.toString();
    }
    PromptScan scan = PromptScan.of(folded);
    return new Scanned(scan, Rules.match(lexicon, scan));
  }

  private Rules.Facts lexical(String raw, String cleaned) {
    Scanned s = lexicalHits(raw, cleaned);
    return Rules.prompt(lexicon, s.scan(), s.hits());
  }

  private boolean tooLong(String s) {
    if (s.length() > maxChars) {
      return true;
    }
    if (s.length() * 3L <= maxBytes) {
      return false; // a UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair 4 for two): no need to count
    }
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 2; // with its low surrogate's 2: a supplementary character is 4 bytes
      } else {
        bytes += Character.isLowSurrogate(c) ? 2 : 3;
      }
    }
    return bytes > maxBytes;
  }

  /** The host's classifier and the executor it runs on: set together, or not at all. */
  private record Moderation(ModerationClassifier classifier, Executor executor) {}

  private Optional<String> moderate(Moderation m, String text, Principal principal) {
    ModerationClassifier c = m.classifier();
    FutureTask<Optional<String>> task = new FutureTask<>(() -> c.classify(text, principal));
    try {
      m.executor().execute(task);
      Optional<String> answer = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (answer == null) {
        LOG.error("moderation classifier {} returned null; refusing", c.getClass().getName());
        return Optional.of("MODERATION_UNAVAILABLE");
      }
      return answer.map(cat -> Lexicon.CATEGORY.matcher(cat).matches() ? cat : "MODERATION_FLAGGED");
    } catch (TimeoutException e) {
      task.cancel(true);
      LOG.warn("moderation classifier {} did not answer within {}; refusing", c.getClass().getName(), timeout);
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RejectedExecutionException e) {
      // The cause's message could quote the prompt: log the type only.
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      LOG.error("moderation classifier {} failed with {}; refusing", c.getClass().getName(),
          cause == null ? "?" : cause.getClass().getName());
    }
    return Optional.of("MODERATION_UNAVAILABLE");
  }

  private static Decision<String> refuse(String category, Confidence confidence, String part) {
    return Decision.reject(Rejection.of(ReasonCode.PROMPT_REJECTED, category, SAFE_MESSAGE).withConfidence(confidence),
        Map.of(CATEGORY_ATTRIBUTE, category, CONFIDENCE_ATTRIBUTE, confidence.name(), PART_ATTRIBUTE, part));
  }

  @Override
  public String toString() {
    return "StandardPromptFilter{terms=" + lexicon.termCount + ", categories=" + lexicon.categories + ", maxChars="
        + maxChars + ", maxBytes=" + maxBytes + ", strip=" + stripCharacters + ", lowConfidence=" + lowConfidence
        + ", classifier=" + moderation.map(m -> m.classifier().getClass().getSimpleName()).orElse("none") + "}";
  }

  /**
   * Builds a {@link StandardPromptFilter}; options that matter may be set once. The built-in lists are
   * included unless {@link #replaceBuiltInLists()} is called; files and terms are added to them. Not
   * thread-safe.
   */
  public static final class Builder {
    private int maxChars = DEFAULT_MAX_CHARS;
    private int maxBytes = DEFAULT_MAX_BYTES;
    private boolean stripCharacters = true;
    private boolean builtIn = true;
    private LowConfidence lowConfidence = LowConfidence.REFUSE;
    private final List<Path> files = new ArrayList<>();
    private final List<String[]> terms = new ArrayList<>();
    private @Nullable ModerationClassifier classifier;
    private @Nullable Executor executor;
    private Duration timeout = DEFAULT_MODERATION_TIMEOUT;
    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * Most characters, 1 to 1,000,000; default {@value #DEFAULT_MAX_CHARS}.
     *
     * @param chars the limit
     * @return this builder
     */
    public Builder maxChars(int chars) {
      options.once("maxChars");
      require(chars >= 1 && chars <= 1_000_000, "maxChars must be 1..1000000: " + chars);
      this.maxChars = chars;
      return this;
    }

    /**
     * Most UTF-8 bytes, 1 to 4,000,000; default {@value #DEFAULT_MAX_BYTES}.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxBytes(int bytes) {
      options.once("maxBytes");
      require(bytes >= 1 && bytes <= 4_000_000, "maxBytes must be 1..4000000: " + bytes);
      this.maxBytes = bytes;
      return this;
    }

    /**
     * {@code true} (default): control characters and {@code <>{}} are removed from the prompt;
     * {@code false}: a prompt holding any is refused.
     *
     * @param strip whether to strip
     * @return this builder
     */
    public Builder stripCharacters(boolean strip) {
      options.once("stripCharacters");
      this.stripCharacters = strip;
      return this;
    }

    /**
     * What happens to a prompt whose only finding is {@link Confidence#LOW}; default
     * {@link LowConfidence#REFUSE}. {@link LowConfidence#CLASSIFIER} needs a
     * {@link #moderationClassifier moderation classifier}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder lowConfidence(LowConfidence policy) {
      options.once("lowConfidence");
      this.lowConfidence = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Leaves the built-in lists out: only the files and terms added here count.
     *
     * @return this builder
     */
    public Builder replaceBuiltInLists() {
      options.once("replaceBuiltInLists");
      this.builtIn = false;
      return this;
    }

    /**
     * Adds a list file, read when built: {@code term<TAB>CATEGORY} lines, or
     * {@code term<TAB>KIND<TAB>LANGUAGE<TAB>SOURCE[<TAB>LICENCE]} lines as the built-in lists use (see the
     * README), UTF-8.
     *
     * @param file the file
     * @return this builder
     */
    public Builder addBlockList(Path file) {
      files.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * Adds one term, refused with {@link Confidence#HIGH}.
     *
     * @param term the term, in any script
     * @param category a detail code such as {@code HATE}
     * @return this builder
     */
    public Builder addTerm(String term, String category) {
      Objects.requireNonNull(term, "term");
      Objects.requireNonNull(category, "category");
      require(!term.isBlank() && term.length() <= Lexicon.MAX_TERM_CHARS,
          "term must be 1.." + Lexicon.MAX_TERM_CHARS + " characters");
      require(Lexicon.CATEGORY.matcher(category).matches(), "category must match " + Lexicon.CATEGORY + ": " + category);
      terms.add(new String[] {term, category});
      return this;
    }

    /**
     * Asks {@code classifier} about every prompt the lists pass (and those they find {@code LOW} when
     * {@link #lowConfidence} says so), on {@code executor} (which the host owns and sizes: it bounds how
     * many classifications run at once), waiting at most {@code timeout}.
     *
     * @param classifier the classifier
     * @param executor where it runs
     * @param timeout how long it may take, more than 0 and at most 5 minutes
     * @return this builder
     */
    public Builder moderationClassifier(ModerationClassifier classifier, Executor executor, Duration timeout) {
      options.once("moderationClassifier");
      Objects.requireNonNull(timeout, "timeout");
      require(!timeout.isNegative() && !timeout.isZero() && timeout.compareTo(Duration.ofMinutes(5)) <= 0,
          "timeout must be more than 0 and at most 5 minutes: " + timeout);
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      this.executor = Objects.requireNonNull(executor, "executor");
      this.timeout = timeout;
      return this;
    }

    /**
     * Reads the lists and compiles the automata; fails naming a bad file and line.
     *
     * @return the filter
     */
    public StandardPromptFilter build() {
      require(lowConfidence != LowConfidence.CLASSIFIER || classifier != null,
          "lowConfidence CLASSIFIER needs a moderation classifier");
      Lexicon.Builder lb = new Lexicon.Builder();
      if (builtIn) {
        lb.readBuiltIn();
      }
      files.forEach(lb::read);
      terms.forEach(t -> lb.addTerm(t[0], t[1], "added term"));
      Lexicon lexicon = lb.build();
      LOG.info("prompt filter: {} terms, {} entries", lexicon.termCount, lexicon.entries.size());
      return new StandardPromptFilter(this, lexicon);
    }
  }
}
