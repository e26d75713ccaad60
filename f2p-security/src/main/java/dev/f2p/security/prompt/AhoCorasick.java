package dev.f2p.security.prompt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A multi-pattern automaton over UTF-16 code units (Aho and Corasick, 1975): one pass over the text finds
 * every term, in time linear in the text plus the matches, whatever the number of terms.
 *
 * <p>When it fits in {@value #MAX_DFA_CELLS} cells the automaton is compiled to a full DFA over the
 * terms' own alphabet (a character in no term sends every state to the root): one table load per
 * character, no failure links walked at search time. Larger automata keep the goto/fail form: the root's
 * transitions a dense table, other nodes sorted arrays searched by bisection. Immutable after
 * construction, so one instance serves all threads.
 *
 * <p>Terms are known by their index in the list given to the constructor; the caller decides what a
 * match means (word boundaries, rules).
 */
final class AhoCorasick {
  /** Receives every match. */
  @FunctionalInterface
  interface Sink {
    /**
     * Term {@code term} ends just before {@code end} of the text.
     *
     * @return false to stop the search
     */
    boolean match(int term, int end);
  }

  private static final int ROOT = 0;
  /** Most cells (states x alphabet) of the DFA table: 32 MiB of ints. */
  static final int MAX_DFA_CELLS = 8 << 20;

  private final int[] rootNext = new int[Character.MAX_VALUE + 1];
  private final int[] edgeStart;
  private final char[] edgeChar;
  private final int[] edgeTarget;
  private final int[] fail;
  /** The term ending at each node, or -1. */
  private final int[] termAt;
  /** The nearest node on the fail chain (excluding this one) where a term ends, or -1. */
  private final int[] nextTerm;
  /** The term indexes ending at each output node: usually one, more when texts coincide. */
  private final int[][] terms;
  /** The first node on the output chain of each state (itself or {@link #nextTerm}), or -1. */
  private final int[] firstOut;
  /** Alphabet index of each UTF-16 unit, 0 for units in no term; null when there is no DFA. */
  private final char @Nullable [] alphabet;
  private final int alphabetSize;
  /** {@code delta[state * alphabetSize + index]}; null when the automaton was too large for a table. */
  private final int @Nullable [] delta;

  AhoCorasick(List<String> input) {
    this(input, MAX_DFA_CELLS);
  }

  /** With a smaller {@code maxDfaCells} (0: never) for tests of the goto/fail form. */
  AhoCorasick(List<String> input, int maxDfaCells) {
    // 1. trie, with maps while building
    List<Map<Character, Integer>> children = new ArrayList<>();
    List<Integer> depthTerm = new ArrayList<>();
    children.add(new HashMap<>());
    depthTerm.add(-1);
    List<List<Integer>> kept = new ArrayList<>();
    for (int id = 0; id < input.size(); id++) {
      String text = input.get(id);
      if (text.isEmpty()) {
        continue;
      }
      int node = ROOT;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        Integer next = children.get(node).get(c);
        if (next == null) {
          next = children.size();
          children.get(node).put(c, next);
          children.add(new HashMap<>());
          depthTerm.add(-1);
        }
        node = next;
      }
      int existing = depthTerm.get(node);
      if (existing < 0) {
        depthTerm.set(node, kept.size());
        kept.add(new ArrayList<>(List.of(id)));
      } else {
        kept.get(existing).add(id); // the same text with another meaning
      }
    }
    int size = children.size();
    terms = new int[kept.size()][];
    for (int i = 0; i < terms.length; i++) {
      terms[i] = kept.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    termAt = new int[size];
    for (int i = 0; i < size; i++) {
      termAt[i] = depthTerm.get(i);
    }
    // 2. compact edges
    edgeStart = new int[size + 1];
    int edges = 0;
    for (int i = 0; i < size; i++) {
      edgeStart[i] = edges;
      edges += children.get(i).size();
    }
    edgeStart[size] = edges;
    edgeChar = new char[edges];
    edgeTarget = new int[edges];
    for (int i = 0; i < size; i++) {
      List<Map.Entry<Character, Integer>> out = new ArrayList<>(children.get(i).entrySet());
      out.sort(Map.Entry.comparingByKey());
      for (int k = 0; k < out.size(); k++) {
        edgeChar[edgeStart[i] + k] = out.get(k).getKey();
        edgeTarget[edgeStart[i] + k] = out.get(k).getValue();
      }
    }
    for (int k = edgeStart[ROOT]; k < edgeStart[ROOT + 1]; k++) {
      rootNext[edgeChar[k]] = edgeTarget[k];
    }
    // 3. failure and output links, breadth first
    fail = new int[size];
    nextTerm = new int[size];
    Arrays.fill(nextTerm, -1);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    int[] order = new int[size];
    int ordered = 1; // the root first
    for (int k = edgeStart[ROOT]; k < edgeStart[ROOT + 1]; k++) {
      queue.add(edgeTarget[k]);
    }
    while (!queue.isEmpty()) {
      int node = queue.poll();
      order[ordered++] = node;
      for (int k = edgeStart[node]; k < edgeStart[node + 1]; k++) {
        char c = edgeChar[k];
        int child = edgeTarget[k];
        int f = fail[node];
        int target;
        while ((target = step(f, c)) < 0) {
          f = fail[f];
        }
        fail[child] = target;
        nextTerm[child] = termAt[target] >= 0 ? target : nextTerm[target];
        queue.add(child);
      }
    }
    firstOut = new int[size];
    for (int i = 0; i < size; i++) {
      firstOut[i] = termAt[i] >= 0 ? i : nextTerm[i];
    }
    // 4. the DFA, if it fits: breadth-first, so a state's fail state is filled in before it
    char[] alpha = new char[Character.MAX_VALUE + 1];
    int letters = 1;
    for (char c : edgeChar) {
      if (alpha[c] == 0) {
        alpha[c] = (char) letters++;
      }
    }
    if ((long) size * letters <= maxDfaCells && letters <= Character.MAX_VALUE) {
      int[] table = new int[size * letters];
      for (int o = 0; o < size; o++) {
        int node = order[o];
        int base = node * letters;
        if (node != ROOT) {
          System.arraycopy(table, fail[node] * letters, table, base, letters);
        }
        for (int k = edgeStart[node]; k < edgeStart[node + 1]; k++) {
          table[base + alpha[edgeChar[k]]] = edgeTarget[k];
        }
      }
      alphabet = alpha;
      alphabetSize = letters;
      delta = table;
    } else {
      alphabet = null;
      alphabetSize = 0;
      delta = null;
    }
  }

  /** Whether this automaton was compiled to a DFA table. */
  boolean isDfa() {
    return delta != null;
  }

  /** Distinct term texts. */
  int size() {
    return terms.length;
  }

  /** Calls {@code sink} for every term found in {@code text[0, len)}, in order of their ends. */
  void search(char[] text, int len, Sink sink) {
    int[] table = delta;
    char[] letters = alphabet;
    int state = ROOT;
    for (int i = 0; i < len; i++) {
      char c = text[i];
      if (table != null && letters != null) {
        int a = letters[c];
        state = a == 0 ? ROOT : table[state * alphabetSize + a];
      } else {
        int next;
        while ((next = step(state, c)) < 0) {
          state = fail[state];
        }
        state = next;
      }
      for (int node = firstOut[state]; node > 0; node = nextTerm[node]) {
        for (int term : terms[termAt[node]]) {
          if (!sink.match(term, i + 1)) {
            return;
          }
        }
      }
    }
  }

  /** The transition from {@code node} on {@code c}; the root never fails (0), others give -1. */
  private int step(int node, char c) {
    if (node == ROOT) {
      return rootNext[c];
    }
    int lo = edgeStart[node];
    int hi = edgeStart[node + 1] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char m = edgeChar[mid];
      if (m < c) {
        lo = mid + 1;
      } else if (m > c) {
        hi = mid - 1;
      } else {
        return edgeTarget[mid];
      }
    }
    return -1;
  }
}
