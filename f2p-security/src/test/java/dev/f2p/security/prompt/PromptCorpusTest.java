package dev.f2p.security.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the committed corpus ({@code corpus.tsv}: language, expected category or ALLOW, disguise, prompt,
 * negative prompt) through the default filter and holds it to the issue's targets: under 2 % of the
 * disallowed prompts pass, under 2 % of the harmless look-alikes are refused. Prints the rates per
 * language, category and disguise.
 */
class PromptCorpusTest {
  private static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "k1");
  private static final double TARGET = 0.02;

  record Row(String language, String expected, String disguise, String prompt, String negative) {}

  private static List<Row> rows;

  @BeforeAll
  static void load() throws IOException {
    rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        PromptCorpusTest.class.getResourceAsStream("corpus.tsv"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] c = line.split("\t", -1);
        rows.add(new Row(c[0], c[1], c[2], c[3], c.length > 4 ? c[4] : ""));
      }
    }
  }

  /** The outcome: null when allowed, else the refusal's detail. */
  static String outcome(StandardPromptFilter f, Row row) {
    Decision<String> d = f.check(row.prompt(), ALICE);
    if (d instanceof Decision.Rejected<String> r) {
      return r.rejection().detail();
    }
    if (!row.negative().isEmpty()) {
      Decision<String> n = f.checkNegative(row.negative(), ((Decision.Allowed<String>) d).value(), ALICE);
      if (n instanceof Decision.Rejected<String> r) {
        return r.rejection().detail();
      }
    }
    return null;
  }

  @Test
  void theCorpusIsLargeEnoughAndVaried() {
    long disallowed = rows.stream().filter(r -> !r.expected().equals("ALLOW")).count();
    assertThat(disallowed).isGreaterThanOrEqualTo(200);
    assertThat(rows.size() - disallowed).isGreaterThanOrEqualTo(200);
    assertThat(rows.stream().map(r -> r.language().split("-")[0]).distinct().count()).isGreaterThanOrEqualTo(10);
    assertThat(rows.stream().map(Row::expected).distinct().count()).isEqualTo(8); // seven categories and ALLOW
  }

  @Test
  void missAndFalsePositiveRatesStayUnderTwoPercent() {
    StandardPromptFilter filter = StandardPromptFilter.create();
    Map<String, int[]> byLanguage = new TreeMap<>();
    Map<String, int[]> byCategory = new TreeMap<>();
    Map<String, int[]> byDisguise = new TreeMap<>();
    int misses = 0;
    int falsePositives = 0;
    int wrongCategory = 0;
    int disallowed = 0;
    List<String> failures = new ArrayList<>();
    for (Row row : rows) {
      String got = outcome(filter, row);
      boolean harmless = row.expected().equals("ALLOW");
      boolean failed = harmless ? got != null : got == null;
      if (harmless) {
        falsePositives += failed ? 1 : 0;
      } else {
        disallowed++;
        misses += failed ? 1 : 0;
        wrongCategory += got != null && !got.equals(row.expected()) ? 1 : 0;
      }
      for (var m : List.of(Map.entry(byLanguage, row.language()), Map.entry(byCategory, row.expected()),
          Map.entry(byDisguise, row.disguise()))) {
        int[] c = m.getKey().computeIfAbsent(m.getValue(), k -> new int[2]);
        c[0]++;
        c[1] += failed ? 1 : 0;
      }
      if (failed) {
        failures.add(row.language() + " " + row.expected() + " " + row.disguise() + " -> " + got + ": " + row.prompt()
            + (row.negative().isEmpty() ? "" : " || " + row.negative()));
      }
    }
    int harmless = rows.size() - disallowed;
    System.out.printf("corpus: %d disallowed, %d harmless; miss %.1f %% (%d), false positives %.1f %% (%d),"
        + " refused under another category %d%n", disallowed, harmless, 100.0 * misses / disallowed, misses,
        100.0 * falsePositives / harmless, falsePositives, wrongCategory);
    print("language (failed/total)", byLanguage);
    print("expected category (ALLOW: false positives; others: misses)", byCategory);
    print("disguise", byDisguise);
    failures.forEach(f -> System.out.println("  failed: " + f));
    assertThat((double) misses / disallowed).as("miss rate").isLessThan(TARGET);
    assertThat((double) falsePositives / harmless).as("false-positive rate").isLessThan(TARGET);
  }

  private static void print(String title, Map<String, int[]> counts) {
    StringBuilder sb = new StringBuilder("  by ").append(title).append(':');
    counts.forEach((k, c) -> sb.append(' ').append(k).append(' ').append(c[1]).append('/').append(c[0]));
    System.out.println(sb);
  }
}
