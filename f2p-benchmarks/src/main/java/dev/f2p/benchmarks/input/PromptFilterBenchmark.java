package dev.f2p.benchmarks.input;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.security.prompt.StandardPromptFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prompt filter on 2,000-character prompts that match nothing (the full scan, the common case).
 * <ul>
 *   <li>{@code builtInListsEnglish}, {@code builtInListsMixedScripts}: every built-in list loaded (ten
 *       languages, rules, exceptions), on an English prompt and on one mixing Russian, Greek, Chinese,
 *       Japanese, Korean and Arabic: target under 50 us;
 *   <li>{@code ahoCorasickFilter}: 10,000 host terms, without the built-in lists; baseline
 *       {@code regexAlternationBaseline}, the same terms as one case-insensitive regex alternation with word
 *       boundaries (the classic approach), on the raw prompt, without any normalisation;
 *   <li>{@code icuTransliteratorPerCall}: what transliterating the mixed prompt with ICU's
 *       {@code Any-Latin; Latin-ASCII} on every call would cost, which is why the filter tabulates it.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PromptFilterBenchmark {
  private static final Principal PRINCIPAL = new Principal("bench", Set.of(Role.USER), "bench");

  private StandardPromptFilter filter;
  private StandardPromptFilter builtIn;
  private Pattern alternation;
  private String prompt;
  private String mixed;
  private com.ibm.icu.text.Transliterator transliterator;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    List<String> terms = new ArrayList<>();
    StandardPromptFilter.Builder b = StandardPromptFilter.builder().replaceBuiltInLists();
    for (int i = 0; i < 10_000; i++) {
      String term = word(random) + (i % 3 == 0 ? " " + word(random) : "");
      terms.add(term);
      b.addTerm(term, "CATEGORY_" + (i % 8));
    }
    filter = b.build();
    alternation = Pattern.compile(terms.stream().map(Pattern::quote).collect(Collectors.joining("|", "\\b(?:", ")\\b")),
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    StringBuilder sb = new StringBuilder();
    String[] words = {"portrait", "of", "the", "person", "in", "a", "sunlit", "garden,", "soft", "light,", "85mm",
        "studio", "smiling", "wearing", "blue", "jacket.", "Cinematic", "colour", "grading"};
    while (sb.length() < 2000) {
      sb.append(words[random.nextInt(words.length)]).append(' ');
    }
    prompt = sb.substring(0, 2000);
    if (!filter.check(prompt, PRINCIPAL).isAllowed() || alternation.matcher(prompt).find()) {
      throw new IllegalStateException("the benchmark prompt must match no term");
    }
    builtIn = StandardPromptFilter.create();
    String[] phrases = {"портрет женщины в саду при мягком свете, ", "πορτρέτο στον κήπο, ", "花园里的女人肖像，柔和的光线，",
        "庭の女性の肖像、柔らかい光、", "정원에 있는 여성의 초상화, ", "صورة امرأة في حديقة، ", "portrait in a sunlit garden, "};
    StringBuilder m = new StringBuilder();
    for (int i = 0; m.length() < 2000; i++) {
      m.append(phrases[i % phrases.length]);
    }
    mixed = m.substring(0, 2000);
    if (!builtIn.check(prompt, PRINCIPAL).isAllowed() || !builtIn.check(mixed, PRINCIPAL).isAllowed()) {
      throw new IllegalStateException("the benchmark prompts must pass the built-in lists");
    }
    transliterator = com.ibm.icu.text.Transliterator.getInstance("Any-Latin; Latin-ASCII; Lower");
  }

  @Benchmark
  public Decision<String> builtInListsEnglish() {
    return builtIn.check(prompt, PRINCIPAL);
  }

  @Benchmark
  public Decision<String> builtInListsMixedScripts() {
    return builtIn.check(mixed, PRINCIPAL);
  }

  @Benchmark
  public String icuTransliteratorPerCall() {
    return transliterator.transliterate(mixed);
  }

  private static String word(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0, n = 5 + r.nextInt(6); i < n; i++) {
      sb.append((char) ('a' + r.nextInt(26)));
    }
    return sb.toString();
  }

  @Benchmark
  public Decision<String> ahoCorasickFilter() {
    return filter.check(prompt, PRINCIPAL);
  }

  @Benchmark
  public boolean regexAlternationBaseline() {
    return alternation.matcher(prompt).find();
  }
}
