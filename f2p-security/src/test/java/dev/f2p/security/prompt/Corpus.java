package dev.f2p.security.prompt;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A prompt corpus file (language, expected category or ALLOW, disguise, prompt, negative prompt; {@code #}
 * comments) and its run through a filter: the miss rate over the disallowed rows, the false-positive rate
 * over the harmless ones, each also per language, category and disguise. Shared by the committed corpus
 * test and the held-out set's test so both are counted the same way.
 */
final class Corpus {
  private static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "k1");

  record Row(String language, String expected, String disguise, String prompt, String negative) {
    boolean harmless() {
      return expected.equals("ALLOW");
    }
  }

  /** Counts of one run; {@code failed/total} per key, where failed is a miss or a false positive. */
  record Result(int disallowed, int harmless, int misses, int falsePositives, int wrongCategory,
      Map<String, int[]> byLanguage, Map<String, int[]> byCategory, Map<String, int[]> byDisguise,
      List<String> failures) {
    double missRate() {
      return (double) misses / disallowed;
    }

    double falsePositiveRate() {
      return (double) falsePositives / harmless;
    }

    /** Prints the rates, the breakdowns and every failing row. */
    void print(String name) {
      System.out.printf("%s: %d disallowed, %d harmless; miss %.1f %% (%d), false positives %.1f %% (%d),"
          + " refused under another category %d%n", name, disallowed, harmless, 100 * missRate(), misses,
          100 * falsePositiveRate(), falsePositives, wrongCategory);
      print("language (failed/total)", byLanguage);
      print("expected category (ALLOW: false positives; others: misses)", byCategory);
      print("disguise", byDisguise);
      failures.forEach(f -> System.out.println("  failed: " + f));
    }

    private static void print(String title, Map<String, int[]> counts) {
      StringBuilder sb = new StringBuilder("  by ").append(title).append(':');
      counts.forEach((k, c) -> sb.append(' ').append(k).append(' ').append(c[1]).append('/').append(c[0]));
      System.out.println(sb);
    }
  }

  private Corpus() {}

  static List<Row> load(String resource) {
    List<Row> rows = new ArrayList<>();
    InputStream in = Objects.requireNonNull(Corpus.class.getResourceAsStream(resource), resource);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] c = line.split("\t", -1);
        rows.add(new Row(c[0], c[1], c[2], c[3], c.length > 4 ? c[4] : ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
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

  static Result run(StandardPromptFilter filter, List<Row> rows) {
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
      boolean failed = row.harmless() ? got != null : got == null;
      if (row.harmless()) {
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
        failures.add(row.language() + " " + row.expected() + " " + row.disguise() + " -> " + got + ": "
            + row.prompt() + (row.negative().isEmpty() ? "" : " || " + row.negative()));
      }
    }
    return new Result(disallowed, rows.size() - disallowed, misses, falsePositives, wrongCategory, byLanguage,
        byCategory, byDisguise, failures);
  }
}
