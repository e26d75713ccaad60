package dev.f2p.security.prompt;

import com.ibm.icu.text.Normalizer2;
import java.util.Arrays;
import java.util.Locale;

/**
 * The cleaned prompt the engine sees: NFKC, invisible and control characters gone, spacing collapsed,
 * case kept. The matching views are {@link PromptScan}'s.
 */
final class PromptText {
  /** Characters the classic deployment strips: markup and template delimiters. */
  static final String FORBIDDEN = "<>{}";

  private PromptText() {}

  /** ICU's NFKC; thread-safe. */
  private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();

  /** What {@link #clean} found besides ordinary text. */
  enum Finding { NONE, CONTROL, FORBIDDEN }

  /** A cleaned prompt and the first kind of removed character it had. */
  record Cleaned(String text, Finding finding) {}

  static Cleaned clean(String raw) {
    return clean(raw, false);
  }

  // Classes of ASCII characters, so that the common case never asks Character for Unicode properties.
  private static final byte TEXT = 0;
  private static final byte SPACE = 1;
  private static final byte CONTROL = 2;
  private static final byte MARKUP = 3;
  private static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 32; c++) {
      ASCII[c] = CONTROL;
    }
    ASCII[127] = CONTROL;
    for (char c : new char[] {' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F}) {
      ASCII[c] = SPACE;
    }
    for (char c : FORBIDDEN.toCharArray()) {
      ASCII[c] = MARKUP;
    }
  }

  /**
   * Cleans; with {@code spaced}, control characters and {@code <>{}} become separators instead of
   * vanishing, so that {@code <b>nude</b>} shows its word in a second view while {@code nu\0de} shows its
   * word in the first.
   */
  static Cleaned clean(String raw, boolean spaced) {
    if (isCleanAscii(raw)) {
      return new Cleaned(raw, Finding.NONE); // the common case: nothing to normalise, nothing to drop
    }
    // ICU's NFKC checks quickly and copies spans that are already normal: the JDK's Normalizer took more
    // than the whole rest of the filter on a 2,000-character Cyrillic or CJK prompt.
    String s = nfkcByTable(raw);
    if (s == null) {
      s = NFKC.normalize(raw);
    }
    int n = s.length();
    char[] out = new char[n];
    int len = 0;
    Finding finding = Finding.NONE;
    boolean space = false;
    for (int i = 0; i < n; ) {
      int cp = s.charAt(i);
      byte kind;
      if (cp < 128) {
        kind = ASCII[cp];
        i++;
      } else {
        cp = s.codePointAt(i);
        i += Character.charCount(cp);
        kind = cp < Classes.SIZE ? Classes.OF[cp] : kind(cp);
        if (kind == INVISIBLE) {
          continue; // zero-width, bidi controls, unpaired surrogates, private use, unassigned: always dropped
        }
      }
      if (kind == SPACE) {
        space = len > 0;
        continue;
      }
      if (kind != TEXT) {
        Finding f = kind == CONTROL ? Finding.CONTROL : Finding.FORBIDDEN;
        finding = finding == Finding.NONE ? f : finding;
        space |= spaced && len > 0;
        continue;
      }
      if (space) {
        out[len++] = ' ';
        space = false;
      }
      len += Character.toChars(cp, out, len);
    }
    return new Cleaned(new String(out, 0, len), finding);
  }

  /** Printable ASCII, no markup, single spaces only between words: already clean (and NFKC-stable). */
  private static boolean isCleanAscii(String s) {
    int n = s.length();
    if (n == 0) {
      return true;
    }
    if (s.charAt(0) == ' ' || s.charAt(n - 1) == ' ') {
      return false;
    }
    char prev = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 128 || (c == ' ' ? prev == ' ' : ASCII[c] != TEXT)) {
        return false;
      }
      prev = c;
    }
    return true;
  }

  /**
   * ICU's NFKC of {@code s} where a table gives it exactly, else {@code null}: every character is either
   * normal and a starter (NFKC quick check yes, combining class 0), or has a mapping and a normalization
   * boundary on both sides, so that it is normalized alone. A fullwidth comma in Chinese text then costs a
   * table look-up; ICU composed all the text after the first one, a third of a mixed prompt's cost.
   * Anything else (combining marks, jamo, supplementary characters) is left to ICU.
   */
  static String nfkcByTable(String s) {
    byte[] flags = Nfkc.FLAGS;
    int n = s.length();
    char[] out = null;
    int len = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      byte f = flags[c];
      if ((f & Nfkc.YES) != 0) {
        if (out != null) {
          out[len++] = c; // room was made for the rest at the last mapping
        }
        continue;
      }
      if ((f & Nfkc.MAPPED) == 0
          || (f & Nfkc.BOUNDARY_BEFORE) == 0 && i > 0 && (flags[s.charAt(i - 1)] & Nfkc.BOUNDARY_AFTER) == 0
          || (f & Nfkc.BOUNDARY_AFTER) == 0 && i + 1 < n && (flags[s.charAt(i + 1)] & Nfkc.BOUNDARY_BEFORE) == 0) {
        return null;
      }
      if (out == null) {
        out = new char[n + 16];
        s.getChars(0, i, out, 0);
        len = i;
      }
      String m = Nfkc.VALUES[Arrays.binarySearch(Nfkc.KEYS, c)];
      out = room(out, len, m.length() + n - i);
      m.getChars(0, m.length(), out, len);
      len += m.length();
    }
    return out == null ? s : new String(out, 0, len);
  }

  private static char[] room(char[] a, int len, int more) {
    return len + more <= a.length ? a : Arrays.copyOf(a, Math.max(a.length * 2, len + more));
  }

  /** The table of {@link #nfkcByTable}, from ICU, once per JVM. */
  private static final class Nfkc {
    static final byte YES = 1;
    static final byte MAPPED = 2;
    static final byte BOUNDARY_BEFORE = 4;
    static final byte BOUNDARY_AFTER = 8;
    static final byte[] FLAGS = new byte[0x10000];
    /** The characters with a mapping, sorted, and their NFKC. */
    static final char[] KEYS;
    static final String[] VALUES;

    static {
      StringBuilder keys = new StringBuilder();
      java.util.List<String> values = new java.util.ArrayList<>();
      for (int c = 0; c < 0x10000; c++) {
        if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
          continue; // a pair is a supplementary character with its own mapping: ICU's
        }
        String one = String.valueOf((char) c);
        String nf = NFKC.normalize(one);
        int f = (NFKC.hasBoundaryBefore(c) ? BOUNDARY_BEFORE : 0) | (NFKC.hasBoundaryAfter(c) ? BOUNDARY_AFTER : 0);
        if (NFKC.quickCheck(one) == com.ibm.icu.text.Normalizer.YES && NFKC.getCombiningClass(c) == 0) {
          f |= YES;
        } else if (!nf.equals(one)) {
          f |= MAPPED;
          keys.append((char) c);
          values.add(nf);
        }
        FLAGS[c] = (byte) f;
      }
      KEYS = keys.toString().toCharArray();
      VALUES = values.toArray(new String[0]);
    }
  }

  private static final byte INVISIBLE = 4;

  /** The class of a non-ASCII code point: {@link #INVISIBLE}, {@link #SPACE}, {@link #CONTROL} or {@link #TEXT}. */
  private static byte kind(int cp) {
    return isInvisible(cp) ? INVISIBLE : Character.isWhitespace(cp) || Character.isSpaceChar(cp) ? SPACE
        : Character.getType(cp) == Character.CONTROL ? CONTROL : TEXT;
  }

  /** {@link #kind} for the Basic Multilingual Plane, tabulated once: four Unicode look-ups a character cost more than the normalisation. */
  private static final class Classes {
    static final int SIZE = 0x10000;
    static final byte[] OF = new byte[SIZE];

    static {
      for (int cp = 0x80; cp < SIZE; cp++) {
        OF[cp] = kind(cp);
      }
    }
  }

  private static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.SURROGATE || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }
}
