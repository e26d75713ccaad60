package dev.f2p.security.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AhoCorasickTest {
  /** The answer by brute force: every occurrence of every term, same boundary rules. */
  static int naiveLowestRank(List<AhoCorasick.Term> terms, String view) {
    int best = -1;
    for (AhoCorasick.Term t : terms) {
      for (int at = view.indexOf(t.text()); at >= 0; at = view.indexOf(t.text(), at + 1)) {
        if (AhoCorasick.accepts(t, view, at + t.text().length()) && (best < 0 || t.rank() < best)) {
          best = t.rank();
        }
      }
    }
    return best;
  }

  @ParameterizedTest(name = "max DFA cells {0}")
  @ValueSource(ints = {0, AhoCorasick.MAX_DFA_CELLS})
  void findsWhatBruteForceFindsInBothForms(int maxDfaCells) {
    Random r = new Random(7);
    for (int round = 0; round < 300; round++) {
      List<AhoCorasick.Term> terms = new ArrayList<>();
      for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
        terms.add(new AhoCorasick.Term(random(r, 1 + r.nextInt(4), "ab 裸"), r.nextInt(5), r.nextBoolean(), r.nextBoolean()));
      }
      AhoCorasick automaton = new AhoCorasick(terms, maxDfaCells);
      assertThat(automaton.isDfa()).isEqualTo(maxDfaCells > 0);
      for (int k = 0; k < 20; k++) {
        String text = random(r, r.nextInt(30), "abs 裸");
        // Duplicate texts merge to the lowest rank, as the automaton does.
        assertThat(automaton.lowestRank(text)).as("terms %s in '%s'", terms, text)
            .isEqualTo(naiveLowestRank(terms, text));
      }
    }
  }

  private static String random(Random r, int length, String alphabet) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
