package dev.f2p.security.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the committed corpus ({@code corpus.tsv}: language, expected category or ALLOW, disguise, prompt,
 * negative prompt) through the default filter and holds it to the targets: under 2 % of the
 * disallowed prompts pass, under 2 % of the harmless look-alikes are refused. Prints the rates per
 * language, category and disguise.
 */
class PromptCorpusTest {
  private static final double TARGET = 0.02;

  private static List<Corpus.Row> rows;

  @BeforeAll
  static void load() {
    rows = Corpus.load("corpus.tsv");
  }

  @Test
  void theCorpusIsLargeEnoughAndVaried() {
    long disallowed = rows.stream().filter(r -> !r.harmless()).count();
    assertThat(disallowed).isGreaterThanOrEqualTo(200);
    assertThat(rows.size() - disallowed).isGreaterThanOrEqualTo(200);
    assertThat(rows.stream().map(r -> r.language().split("-")[0]).distinct().count()).isGreaterThanOrEqualTo(10);
    assertThat(rows.stream().map(Corpus.Row::expected).distinct().count()).isEqualTo(8); // seven categories and ALLOW
  }

  @Test
  void missAndFalsePositiveRatesStayUnderTwoPercent() {
    Corpus.Result result = Corpus.run(StandardPromptFilter.create(), rows);
    result.print("corpus");
    assertThat(result.missRate()).as("miss rate").isLessThan(TARGET);
    assertThat(result.falsePositiveRate()).as("false-positive rate").isLessThan(TARGET);
  }
}
