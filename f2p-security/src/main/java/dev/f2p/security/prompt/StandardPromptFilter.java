package dev.f2p.security.prompt;

import static dev.f2p.core.internal.BuilderOptions.require;

import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.internal.BuilderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link PromptFilter}. In order, each step refusing with
 * {@link ReasonCode#PROMPT_REJECTED} (HTTP 422), a detail code, and the category in the decision attribute
 * {@value #CATEGORY_ATTRIBUTE}:
 * <ol>
 *   <li>length in characters and UTF-8 bytes, before and after normalisation ({@code TOO_LONG});
 *   <li>cleaning: NFKC, zero-width and bidi controls and other invisible characters dropped, whitespace
 *       collapsed; control characters and {@code <>{}} dropped, or refused ({@code CONTROL_CHARACTERS},
 *       {@code FORBIDDEN_CHARACTERS}) when {@link Builder#stripCharacters(boolean)} is off;
 *   <li>block lists, on a matching view of the cleaned prompt (case folded, full-width folded, spelled-out
 *       words such as {@code N U D E} joined, look-alikes inside words such as {@code n4k3d} read as
 *       letters): the detail is the term's category, such as
 *       {@code SEXUAL_MINORS}; Latin terms match whole words only (and their plurals), so
 *       {@code therapist} does not match {@code rapist}; Chinese terms match anywhere;
 *   <li>the {@link ModerationClassifier}, if any, on an executor with a timeout ({@code MODERATION_UNAVAILABLE}
 *       when it fails or is late).
 * </ol>
 * An allowed decision hands on the cleaned prompt (not case folded). A refusal never names the matched term.
 * Built-in lists, in English and Chinese, hold categories {@code SEXUAL_MINORS}, {@code NON_CONSENSUAL},
 * {@code IDENTITY_DOCUMENT}, {@code IMPERSONATION}, {@code SELF_HARM}, {@code VIOLENCE} and {@code HATE};
 * when a prompt matches several, the most severe (in that order) is reported.
 *
 * <p>Thread-safe and immutable; share one. Matching is linear in the prompt's length whatever the number
 * of terms (an Aho-Corasick automaton).
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

  private static final Logger LOG = LoggerFactory.getLogger(StandardPromptFilter.class);
  private static final String SAFE_MESSAGE = ReasonCode.PROMPT_REJECTED.safeMessage();

  private final int maxChars;
  private final int maxBytes;
  private final boolean stripCharacters;
  private final AhoCorasick automaton;
  private final List<String> categories;
  private final Optional<ModerationClassifier> classifier;
  private final Executor executor;
  private final Duration timeout;

  private StandardPromptFilter(Builder b, AhoCorasick automaton, List<String> categories) {
    this.maxChars = b.maxChars;
    this.maxBytes = b.maxBytes;
    this.stripCharacters = b.stripCharacters;
    this.automaton = automaton;
    this.categories = categories;
    this.classifier = Optional.ofNullable(b.classifier);
    this.executor = b.executor;
    this.timeout = b.timeout;
  }

  /** A filter with the defaults and the built-in lists. */
  public static StandardPromptFilter create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How many distinct terms the automaton holds. */
  public int termCount() {
    return automaton.size();
  }

  @Override
  public Decision<String> check(String prompt, Principal principal) {
    Objects.requireNonNull(prompt, "prompt");
    if (tooLong(prompt)) {
      return refuse("TOO_LONG");
    }
    PromptText.Cleaned cleaned = PromptText.clean(prompt);
    if (!stripCharacters && cleaned.finding() != PromptText.Finding.NONE) {
      return refuse(cleaned.finding() == PromptText.Finding.CONTROL ? "CONTROL_CHARACTERS" : "FORBIDDEN_CHARACTERS");
    }
    String text = cleaned.text();
    if (text != prompt && tooLong(text)) {
      return refuse("TOO_LONG"); // NFKC can expand a character up to 18 times
    }
    int rank = automaton.lowestRank(PromptText.view(text));
    if (rank != 0 && cleaned.finding() != PromptText.Finding.NONE) {
      int spaced = automaton.lowestRank(PromptText.view(PromptText.clean(prompt, true).text()));
      rank = rank < 0 ? spaced : spaced < 0 ? rank : Math.min(rank, spaced);
    }
    if (rank >= 0) {
      return refuse(categories.get(rank));
    }
    if (classifier.isPresent()) {
      Optional<String> category = moderate(classifier.get(), text, principal);
      if (category.isPresent()) {
        return refuse(category.get());
      }
    }
    return Decision.allow(text);
  }

  private boolean tooLong(String s) {
    if (s.length() > maxChars) {
      return true;
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

  private Optional<String> moderate(ModerationClassifier c, String text, Principal principal) {
    FutureTask<Optional<String>> task = new FutureTask<>(() -> c.classify(text, principal));
    try {
      executor.execute(task);
      Optional<String> answer = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (answer == null) {
        LOG.error("moderation classifier {} returned null; refusing", c.getClass().getName());
        return Optional.of("MODERATION_UNAVAILABLE");
      }
      return answer.map(cat -> BlockLists.CATEGORY.matcher(cat).matches() ? cat : "MODERATION_FLAGGED");
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

  private static Decision<String> refuse(String category) {
    return Decision.reject(Rejection.of(ReasonCode.PROMPT_REJECTED, category, SAFE_MESSAGE),
        Map.of(CATEGORY_ATTRIBUTE, category));
  }

  @Override
  public String toString() {
    return "StandardPromptFilter{terms=" + automaton.size() + ", categories=" + categories + ", maxChars="
        + maxChars + ", maxBytes=" + maxBytes + ", strip=" + stripCharacters + ", classifier="
        + classifier.map(x -> x.getClass().getSimpleName()).orElse("none") + "}";
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
    private final List<Path> files = new ArrayList<>();
    private final List<String[]> terms = new ArrayList<>();
    private ModerationClassifier classifier;
    private Executor executor;
    private Duration timeout = DEFAULT_MODERATION_TIMEOUT;
    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /** Most characters, 1 to 1,000,000; default {@value #DEFAULT_MAX_CHARS}. */
    public Builder maxChars(int chars) {
      options.once("maxChars");
      require(chars >= 1 && chars <= 1_000_000, "maxChars must be 1..1000000: " + chars);
      this.maxChars = chars;
      return this;
    }

    /** Most UTF-8 bytes, 1 to 4,000,000; default {@value #DEFAULT_MAX_BYTES}. */
    public Builder maxBytes(int bytes) {
      options.once("maxBytes");
      require(bytes >= 1 && bytes <= 4_000_000, "maxBytes must be 1..4000000: " + bytes);
      this.maxBytes = bytes;
      return this;
    }

    /**
     * {@code true} (default): control characters and {@code <>{}} are removed from the prompt;
     * {@code false}: a prompt holding any is refused.
     */
    public Builder stripCharacters(boolean strip) {
      options.once("stripCharacters");
      this.stripCharacters = strip;
      return this;
    }

    /** Leaves the built-in lists out: only the files and terms added here count. */
    public Builder replaceBuiltInLists() {
      options.once("replaceBuiltInLists");
      this.builtIn = false;
      return this;
    }

    /** Adds a block list file ({@code term<TAB>CATEGORY} lines, UTF-8), read when built. */
    public Builder addBlockList(Path file) {
      files.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /** Adds one term; the category is a detail code such as {@code HATE}. */
    public Builder addTerm(String term, String category) {
      Objects.requireNonNull(term, "term");
      Objects.requireNonNull(category, "category");
      require(!term.isBlank() && term.length() <= BlockLists.MAX_TERM_CHARS,
          "term must be 1.." + BlockLists.MAX_TERM_CHARS + " characters");
      require(BlockLists.CATEGORY.matcher(category).matches(), "category must match " + BlockLists.CATEGORY + ": " + category);
      terms.add(new String[] {term, category});
      return this;
    }

    /**
     * Asks {@code classifier} about every prompt the lists pass, on {@code executor} (which the host owns
     * and sizes: it bounds how many classifications run at once), waiting at most {@code timeout}.
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

    /** Reads the lists and compiles the automaton; fails naming a bad file and line. */
    public StandardPromptFilter build() {
      Map<String, Integer> ranks = new LinkedHashMap<>();
      List<String> categories = new ArrayList<>();
      List<AhoCorasick.Term> compiled = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      BlockLists.Sink sink = (term, category) -> {
        Integer rank = ranks.get(category);
        if (rank == null) {
          rank = categories.size();
          ranks.put(category, rank);
          categories.add(category);
        }
        String view = PromptText.view(PromptText.clean(term).text());
        if (!view.isEmpty()) {
          int first = view.codePointAt(0);
          int last = view.codePointBefore(view.length());
          compiled.add(new AhoCorasick.Term(view, rank, !PromptText.isCjk(first), !PromptText.isCjk(last)));
          seen.merge(category, 1, Integer::sum);
        }
      };
      // Built-in categories first, in severity order, so that ranks follow severity.
      BlockLists.SEVERITY.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
        ranks.put(e.getKey(), categories.size());
        categories.add(e.getKey());
      });
      if (builtIn) {
        BlockLists.readBuiltIn(sink);
      }
      files.forEach(f -> BlockLists.read(f, sink));
      terms.forEach(t -> sink.add(t[0], t[1]));
      AhoCorasick automaton = new AhoCorasick(compiled);
      LOG.info("prompt filter: {} terms in categories {}", automaton.size(), seen);
      return new StandardPromptFilter(this, automaton, List.copyOf(categories));
    }
  }
}
