package dev.f2p.security.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AhoCorasickTest {
  /** The answer by brute force: every occurrence of every term, as "term@end". */
  static Set<String> naive(List<String> terms, String text) {
    Set<String> found = new TreeSet<>();
    for (int id = 0; id < terms.size(); id++) {
      String t = terms.get(id);
      for (int at = text.indexOf(t); at >= 0 && !t.isEmpty(); at = text.indexOf(t, at + 1)) {
        found.add(id + "@" + (at + t.length()));
      }
    }
    return found;
  }

  static Set<String> found(AhoCorasick automaton, String text) {
    Set<String> found = new TreeSet<>();
    automaton.search(text.toCharArray(), text.length(), (term, end) -> found.add(term + "@" + end));
    return found;
  }

  @ParameterizedTest(name = "max DFA cells {0}")
  @ValueSource(ints = {0, AhoCorasick.MAX_DFA_CELLS})
  void findsWhatBruteForceFindsInBothForms(int maxDfaCells) {
    Random r = new Random(7);
    for (int round = 0; round < 300; round++) {
      List<String> terms = new ArrayList<>();
      for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
        terms.add(random(r, 1 + r.nextInt(4), "ab 裸"));
      }
      AhoCorasick automaton = new AhoCorasick(terms, maxDfaCells);
      assertThat(automaton.isDfa()).isEqualTo(maxDfaCells > 0);
      for (int k = 0; k < 20; k++) {
        String text = random(r, r.nextInt(30), "abs 裸");
        assertThat(found(automaton, text)).as("terms %s in '%s'", terms, text).isEqualTo(naive(terms, text));
      }
    }
  }

  @Test
  void theSinkCanStopTheSearch() {
    AhoCorasick automaton = new AhoCorasick(List.of("a"));
    int[] calls = new int[1];
    automaton.search("aaaa".toCharArray(), 4, (term, end) -> ++calls[0] < 2);
    assertThat(calls[0]).isEqualTo(2);
  }

  private static String random(Random r, int length, String alphabet) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
