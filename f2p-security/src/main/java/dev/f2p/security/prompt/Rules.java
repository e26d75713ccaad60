package dev.f2p.security.prompt;

import dev.f2p.core.Confidence;
import dev.f2p.security.prompt.Lexicon.Concept;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The lexical layer's judgement: the lists' matches in a {@link PromptScan}, harmless phrases taken out,
 * then rules over what remains.
 * <ul>
 *   <li>a minor (a word for a child, or an age under 18 in digits, in words or with a CJK counter) with
 *       anything sexual, nude, suggestive, underwear or undressing: {@code SEXUAL_MINORS};
 *   <li>nudity or a sexual act, a negation before clothing, or an undressing verb within {@value #NEAR}
 *       words of clothing (or {@code off} right after a garment):
 *       {@code NON_CONSENSUAL} (the input is always a real person's face);
 *   <li>a well-known person in a deceptive or official setting: {@code IMPERSONATION} ({@code LOW} for the
 *       name alone);
 *   <li>an identity document with forgery or its details: {@code IDENTITY_DOCUMENT} ({@code LOW} alone);
 *   <li>category terms: their category, at their confidence.
 * </ul>
 * A negative prompt has its own rules: nudity named there is the usual safe use, but excluding clothing
 * (or being clothed, or censorship) asks for a nude, and excluding adulthood from a suggestive prompt asks
 * for a child. Stateless.
 */
final class Rules {
  private Rules() {}

  /** At most this many matches are kept for one text; a text with more is refused. */
  static final int MAX_HITS = 1024;
  /** How many words apart an undressing verb and a garment may be. */
  static final int NEAR = 5;

  /** The worst thing found: a category and how sure. */
  record Finding(String category, Confidence confidence) {}

  /** The matches in one text, each an entry and the positions of its first and last word. */
  static final class Hits {
    int[] entry = new int[16];
    int[] start = new int[16];
    int[] end = new int[16];
    int count;
    boolean overflow;

    boolean add(int e, int s, int t) {
      if (count == MAX_HITS) {
        overflow = true;
        return false;
      }
      if (count == entry.length) {
        entry = Arrays.copyOf(entry, count * 2);
        start = Arrays.copyOf(start, count * 2);
        end = Arrays.copyOf(end, count * 2);
      }
      entry[count] = e;
      start[count] = s;
      end[count] = t;
      count++;
      return true;
    }
  }

  /** Every match of the lists in {@code scan}, harmless phrases already taken out. */
  static Hits match(Lexicon lx, PromptScan scan) {
    Hits hits = new Hits();
    searchLatin(lx, scan.latin, hits);
    if (scan.alternative != null) {
      searchLatin(lx, scan.alternative, hits);
    }
    PromptScan.NativeView nv = scan.nativeView;
    lx.natives.search(nv.text, nv.len, (term, end) -> {
      int len = nativeLength(lx, term);
      return hits.add(lx.nativeEntry[term], nv.pos[end - len], nv.pos[end - 1]);
    });
    removeContained(lx, hits);
    return hits;
  }

  private static int nativeLength(Lexicon lx, int term) {
    return lx.nativeLengths[term];
  }

  private static void searchLatin(Lexicon lx, PromptScan.LatinView v, Hits hits) {
    lx.latin.search(v.text, v.len, (term, end) -> {
      int start = end - lx.latinLength[term];
      int first = v.charTok[start];
      if (v.tokStart[first] != start) {
        return true; // not at the start of a word: 'rapist' in 'therapist'
      }
      int last = v.charTok[end - 1];
      int tokEnd = v.tokEnd[last];
      if (end != tokEnd && !lx.latinPrefix[term] && !plural(v.text, end, tokEnd)
          && tokEnd - end > lx.latinSlack[term]) {
        return true;
      }
      int[] breaks = lx.latinBreaks[term];
      for (int t = first + 1; t <= last; t++) {
        // A prompt may split a word where the term has none only with punctuation or markup (n.u.d.e),
        // or into very short pieces (n u d e, nu de, n ude): 'the pen is' must not read as one word.
        if (v.joinBefore[t] || Arrays.binarySearch(breaks, v.tokStart[t] - start) >= 0) {
          continue;
        }
        int before = v.tokEnd[t - 1] - v.tokStart[t - 1];
        int after = v.tokEnd[t] - v.tokStart[t];
        if (Math.min(before, after) > 1 && Math.max(before, after) > 2) {
          return true;
        }
      }
      return hits.add(lx.latinEntry[term], v.tokPos[first], v.tokPos[last]);
    });
  }

  /** An English plural ending ({@code s}, {@code es}) between the match and the end of its word. */
  private static boolean plural(char[] text, int end, int tokEnd) {
    int rest = tokEnd - end;
    return rest == 1 && text[end] == 's' || rest == 2 && text[end] == 'e' && text[end + 1] == 's';
  }

  /**
   * Drops every match lying inside a longer one (the longer reading wins: {@code ropa} inside
   * {@code ropa interior}, {@code old} inside {@code 12 years old}) and every match inside a harmless
   * phrase ({@code nude lipstick}, {@code killing it}).
   */
  private static void removeContained(Lexicon lx, Hits h) {
    // The entries' concepts looked up once, not once per pair: this loop is quadratic in the matches.
    boolean[] allows = new boolean[h.count];
    for (int i = 0; i < h.count; i++) {
      allows[i] = lx.entries.get(h.entry[i]).concept() == Concept.ALLOW;
    }
    int kept = 0;
    for (int i = 0; i < h.count; i++) {
      boolean allow = allows[i];
      int start = h.start[i];
      int end = h.end[i];
      boolean drop = false;
      for (int k = 0; k < h.count && !drop; k++) {
        boolean inside = h.start[k] <= start && end <= h.end[k];
        boolean same = h.start[k] == start && h.end[k] == end;
        drop = k != i && inside && (!same || !allow && allows[k]);
      }
      if (!drop) {
        allows[kept] = allow; // compacted with the matches, as the pairs above read them
        h.entry[kept] = h.entry[i];
        h.start[kept] = h.start[i];
        h.end[kept] = h.end[i];
        kept++;
      }
    }
    h.count = kept;
  }

  /** What a prompt holds, for its own judgement and its negative prompt's. */
  static final class Facts {
    boolean minor;
    boolean nudeOrSexual;
    boolean suggestive;
    boolean undressing;
    /** The worst finding, or null when the lists found nothing. */
    @Nullable Finding best;
  }

  /** Judges a prompt. */
  static Facts prompt(Lexicon lx, PromptScan scan, Hits h) {
    harmlessSenses(lx, h);
    Facts f = new Facts();
    f.minor = has(lx, h, Concept.MINOR) || age(lx, scan, h);
    boolean unclothed = follows(lx, h, Concept.WITHOUT, 2, Concept.CLOTHING_ALL, Concept.UNDERWEAR);
    f.nudeOrSexual = has(lx, h, Concept.NUDITY) || has(lx, h, Concept.SEXUAL) || unclothed;
    f.suggestive = has(lx, h, Concept.SEXY) || has(lx, h, Concept.UNDERWEAR);
    f.undressing = near(lx, h, Concept.UNDRESS, NEAR, Concept.CLOTHING, Concept.CLOTHING_ALL, Concept.UNDERWEAR)
        || follows(lx, h, Concept.CLOTHING, 1, Concept.OFF) || follows(lx, h, Concept.UNDERWEAR, 1, Concept.OFF)
        || near(lx, h, Concept.PULL, NEAR, Concept.CLOTHING, Concept.CLOTHING_ALL, Concept.UNDERWEAR)
            && follows(lx, h, Concept.CLOTHING, Concept.CLOTHING_ALL, Concept.UNDERWEAR, Concept.PARTICLE);
    Finding best = null;
    if (h.overflow) {
      best = better(lx, best, new Finding("TOO_MANY_TERMS", Confidence.HIGH));
    }
    if (f.minor && (f.nudeOrSexual || f.suggestive || f.undressing)) {
      best = better(lx, best, new Finding("SEXUAL_MINORS", Confidence.HIGH));
    }
    if (f.undressing || unclothed) {
      best = better(lx, best, new Finding("NON_CONSENSUAL", Confidence.HIGH));
    }
    best = better(lx, best, concept(lx, h, Concept.NUDITY, "NON_CONSENSUAL"));
    best = better(lx, best, concept(lx, h, Concept.SEXUAL, "NON_CONSENSUAL"));
    if (has(lx, h, Concept.PERSON_NAME)) {
      best = better(lx, best, new Finding("IMPERSONATION",
          has(lx, h, Concept.DECEPTIVE) ? Confidence.HIGH : Confidence.LOW));
    }
    if (has(lx, h, Concept.OFFICE) && has(lx, h, Concept.DECEPTIVE)) {
      best = better(lx, best, new Finding("IMPERSONATION", Confidence.HIGH));
    }
    if (near(lx, h, Concept.GROUP, NEAR, false, Concept.HOSTILE)) {
      best = better(lx, best, new Finding("HATE", Confidence.HIGH));
    }
    if (near(lx, h, Concept.WRIST, 3, Concept.BLADE)) {
      best = better(lx, best, new Finding("SELF_HARM", Confidence.HIGH));
    }
    if (near(lx, h, Concept.ATTACK, 3, Concept.CROWD)) {
      best = better(lx, best, new Finding("VIOLENCE", Confidence.HIGH));
    }
    if (has(lx, h, Concept.DOCUMENT)) {
      best = better(lx, best, new Finding("IDENTITY_DOCUMENT",
          has(lx, h, Concept.FORGERY) ? Confidence.HIGH : Confidence.LOW));
    }
    for (int i = 0; i < h.count; i++) {
      Lexicon.Entry e = lx.entries.get(h.entry[i]);
      if (e.category() != null) {
        best = better(lx, best, new Finding(e.category(), e.confidence()));
      }
    }
    f.best = best;
    return f;
  }

  /** Judges a negative prompt, knowing what its prompt holds. */
  static @Nullable Finding negative(Lexicon lx, Hits h, Facts prompt) {
    Finding best = h.overflow ? new Finding("TOO_MANY_TERMS", Confidence.HIGH) : null;
    // Excluding revealing or sexy clothing asks for modest clothing, not for none.
    drop(lx, h, i -> isGarment(lx.entries.get(h.entry[i]).concept()) && near(lx, h, i, 1, 0, Concept.SEXY));
    int garments = distinct(lx, h, Concept.CLOTHING, Concept.UNDERWEAR);
    if (has(lx, h, Concept.CLOTHING_ALL) || has(lx, h, Concept.CLOTHED) || garments >= 3
        || garments >= 2 && has(lx, h, Concept.UNDERWEAR)) {
      best = better(lx, best, new Finding(prompt.minor ? "SEXUAL_MINORS" : "NON_CONSENSUAL", Confidence.HIGH));
    }
    if (has(lx, h, Concept.ADULT) && (prompt.suggestive || prompt.minor && prompt.nudeOrSexual)) {
      best = better(lx, best, new Finding("SEXUAL_MINORS", Confidence.HIGH));
    }
    return best;
  }

  /**
   * Takes out the matches whose harmless sense the words around them decide, in every language at once
   * (the per-phrase exceptions are ALLOW entries):
   * <ul>
   *   <li>a nudity word describing a thing, not a person ({@code nude lipstick}, {@code la verdad desnuda},
   *       {@code naked cake}): an {@link Concept#OBJECT} right before it or at most two words after;
   *   <li>a nude that is a work of art ({@code the Venus de Milo in the Louvre}, {@code a nude statue}): an
   *       {@link Concept#ART} word within {@value #NEAR} words, and the prompt names no person to put into
   *       the picture ({@link Concept#SUBJECT}: me, her, this woman), no minor, no undressing and nothing
   *       sexual; the input is a real person's face, so {@code turn me into a nude statue} stays refused;
   *   <li>self-harm, violence and hate as the topic of awareness or prevention ({@code suicide prevention
   *       hotline}, {@code 자살 예방}): an {@link Concept#AWARENESS} word at most two words away;
   *   <li>an identity document with a photo background and no forgery ({@code passport photo on a white
   *       background}): the ordinary ID-photo edit.
   * </ul>
   */
  private static void harmlessSenses(Lexicon lx, Hits h) {
    drop(lx, h, i -> lx.entries.get(h.entry[i]).concept() == Concept.NUDITY
        && near(lx, h, i, 1, 2, Concept.OBJECT));
    if (has(lx, h, Concept.ART) && !has(lx, h, Concept.SUBJECT) && !has(lx, h, Concept.MINOR)
        && !has(lx, h, Concept.UNDRESS) && !has(lx, h, Concept.SEXUAL)) {
      drop(lx, h, i -> lx.entries.get(h.entry[i]).concept() == Concept.NUDITY
          && near(lx, h, i, NEAR, NEAR, Concept.ART));
    }
    drop(lx, h, i -> {
      String category = lx.entries.get(h.entry[i]).category();
      return ("SELF_HARM".equals(category) || "VIOLENCE".equals(category) || "HATE".equals(category))
          && near(lx, h, i, 2, 2, Concept.AWARENESS);
    });
    if (!has(lx, h, Concept.FORGERY) && has(lx, h, Concept.BACKGROUND)) {
      drop(lx, h, i -> lx.entries.get(h.entry[i]).concept() == Concept.DOCUMENT);
    }
  }

  private static boolean isGarment(@Nullable Concept c) {
    return c == Concept.CLOTHING || c == Concept.CLOTHING_ALL || c == Concept.UNDERWEAR;
  }

  /** Removes the matches {@code test} selects (decided on the matches as they were before any removal). */
  private static void drop(Lexicon lx, Hits h, IntPredicate test) {
    boolean[] gone = null;
    for (int i = 0; i < h.count; i++) {
      if (test.test(i)) {
        if (gone == null) {
          gone = new boolean[h.count];
        }
        gone[i] = true;
      }
    }
    if (gone == null) {
      return;
    }
    int kept = 0;
    for (int i = 0; i < h.count; i++) {
      if (!gone[i]) {
        h.entry[kept] = h.entry[i];
        h.start[kept] = h.start[i];
        h.end[kept] = h.end[i];
        kept++;
      }
    }
    h.count = kept;
  }

  /** Whether a match of {@code c} starts at most {@code after} positions after match {@code i} or ends at most {@code before} before it. */
  private static boolean near(Lexicon lx, Hits h, int i, int before, int after, Concept c) {
    for (int k = 0; k < h.count; k++) {
      if (k == i || lx.entries.get(h.entry[k]).concept() != c) {
        continue;
      }
      if (h.start[k] > h.end[i] && h.start[k] - h.end[i] <= after
          || h.end[k] < h.start[i] && h.start[i] - h.end[k] <= before) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable Finding concept(Lexicon lx, Hits h, Concept c, String category) {
    Confidence found = null;
    for (int i = 0; i < h.count; i++) {
      Lexicon.Entry e = lx.entries.get(h.entry[i]);
      if (e.concept() == c && (found == null || e.confidence() == Confidence.HIGH)) {
        found = e.confidence();
      }
    }
    return found == null ? null : new Finding(category, found);
  }

  /** The worse of two findings: higher confidence first, then the more severe category. */
  static @Nullable Finding better(Lexicon lx, @Nullable Finding a, @Nullable Finding b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (a.confidence() != b.confidence()) {
      return a.confidence() == Confidence.HIGH ? a : b;
    }
    return lx.rank(b.category()) < lx.rank(a.category()) ? b : a;
  }

  private static boolean has(Lexicon lx, Hits h, Concept c) {
    for (int i = 0; i < h.count; i++) {
      if (lx.entries.get(h.entry[i]).concept() == c) {
        return true;
      }
    }
    return false;
  }

  /** How many places (up to 4) hold a match of {@code a} or {@code b}: one garment named in two lists is one. */
  private static int distinct(Lexicon lx, Hits h, Concept a, Concept b) {
    int[] seen = new int[4];
    int n = 0;
    for (int i = 0; i < h.count && n < seen.length; i++) {
      Concept c = lx.entries.get(h.entry[i]).concept();
      if ((c == a || c == b) && indexOf(seen, n, h.start[i]) < 0) {
        seen[n++] = h.start[i];
      }
    }
    return n;
  }

  private static int indexOf(int[] a, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether a match of {@code c} lies within {@code distance} positions of a match of any of {@code others},
   * with no {@link Concept#BREAK} between them.
   */
  private static boolean near(Lexicon lx, Hits h, Concept c, int distance, Concept... others) {
    return near(lx, h, c, distance, true, others);
  }

  /** As above; {@code breaks} says whether a {@link Concept#BREAK} between them parts them ({@code des} does not part a group from a slur). */
  private static boolean near(Lexicon lx, Hits h, Concept c, int distance, boolean breaks, Concept... others) {
    for (int i = 0; i < h.count; i++) {
      if (lx.entries.get(h.entry[i]).concept() != c) {
        continue;
      }
      for (int k = 0; k < h.count; k++) {
        Concept o = lx.entries.get(h.entry[k]).concept();
        int from = Math.min(h.end[i], h.end[k]);
        int to = Math.max(h.start[i], h.start[k]);
        if (k != i && Arrays.asList(others).contains(o) && to - from <= distance
            && !(breaks && between(lx, h, from, to))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean between(Lexicon lx, Hits h, int from, int to) {
    for (int k = 0; k < h.count; k++) {
      if (lx.entries.get(h.entry[k]).concept() == Concept.BREAK && h.start[k] > from && h.end[k] < to) {
        return true;
      }
    }
    return false;
  }

  /** Whether a match of any of {@code a}, {@code b}, {@code c} is followed right after by a match of {@code then}. */
  private static boolean follows(Lexicon lx, Hits h, Concept a, Concept b, Concept c, Concept then) {
    return follows(lx, h, a, 1, then) || follows(lx, h, b, 1, then) || follows(lx, h, c, 1, then);
  }

  /** Whether a match of {@code first} comes at most {@code distance} positions before a match of any of {@code then}. */
  private static boolean follows(Lexicon lx, Hits h, Concept first, int distance, Concept... then) {
    for (int i = 0; i < h.count; i++) {
      if (lx.entries.get(h.entry[i]).concept() != first) {
        continue;
      }
      for (int k = 0; k < h.count; k++) {
        if (Arrays.asList(then).contains(lx.entries.get(h.entry[k]).concept()) && h.start[k] > h.end[i]
            && h.start[k] - h.end[i] <= distance) {
          return true;
        }
      }
    }
    return false;
  }

  /** An age under 18: a number (digits or words) with a unit after it or an age word before it. */
  private static boolean age(Lexicon lx, PromptScan scan, Hits h) {
    for (int i = 0; i < scan.nativeAgeCount; i++) {
      if (minorAge(scan.nativeAges[2 * i + 1])) {
        return true;
      }
    }
    for (int i = 0; i < scan.numberCount; i++) {
      int value = scan.numbers[2 * i + 1];
      if (!minorAge(value)) {
        continue;
      }
      int pos = scan.numbers[2 * i];
      String suffix = scan.suffixes[i];
      if (!suffix.isEmpty() ? startsWithUnit(lx, suffix) : ageAround(lx, h, pos, pos)) {
        return true;
      }
    }
    for (int i = 0; i < h.count; i++) {
      Lexicon.Entry e = lx.entries.get(h.entry[i]);
      if (e.concept() == Concept.NUMBER && minorAge(e.value()) && ageAround(lx, h, h.start[i], h.end[i])) {
        return true;
      }
    }
    return false;
  }

  private static boolean minorAge(int value) {
    return value >= 1 && value <= 17;
  }

  private static boolean ageAround(Lexicon lx, Hits h, int start, int end) {
    for (int k = 0; k < h.count; k++) {
      Concept c = lx.entries.get(h.entry[k]).concept();
      if (c == Concept.AGE_UNIT && h.start[k] > end && h.start[k] - end <= 3
          || c == Concept.AGE_PREFIX && h.end[k] < start && start - h.end[k] <= 2) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithUnit(Lexicon lx, String suffix) {
    for (String unit : lx.ageUnits) {
      if (suffix.startsWith(unit)) {
        return true;
      }
    }
    return false;
  }
}
