package dev.f2p.security.prompt;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The two forms of a prompt: the cleaned prompt the engine sees (NFKC, invisible and control characters
 * gone, spacing collapsed, case kept) and the matching view the block lists run on (case folded, every
 * separator one space, spelled-out letters such as {@code N U D E} or {@code n.u.d.e} joined, spaces
 * between Chinese characters dropped).
 */
final class PromptText {
  /** Characters the classic deployment strips: markup and template delimiters. */
  static final String FORBIDDEN = "<>{}";

  private PromptText() {}

  /** What {@link #clean} found besides ordinary text. */
  enum Finding { NONE, CONTROL, FORBIDDEN }

  /** A cleaned prompt and the first kind of removed character it had. */
  record Cleaned(String text, Finding finding) {}

  static Cleaned clean(String raw) {
    return clean(raw, false);
  }

  /**
   * Cleans; with {@code spaced}, control characters and {@code <>{}} become separators instead of
   * vanishing, so that {@code <b>nude</b>} shows its word in a second view while {@code nu\0de} shows its
   * word in the first.
   */
  static Cleaned clean(String raw, boolean spaced) {
    String s = Normalizer.normalize(raw, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(s.length());
    Finding finding = Finding.NONE;
    boolean space = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (isWhitespace(cp)) {
        space = out.length() > 0;
        continue;
      }
      if (isInvisible(cp)) {
        continue; // zero-width, bidi controls, unpaired surrogates, private use, unassigned: always dropped
      }
      if (Character.getType(cp) == Character.CONTROL) {
        finding = finding == Finding.NONE ? Finding.CONTROL : finding;
        space |= spaced && out.length() > 0;
        continue;
      }
      if (cp < 128 && FORBIDDEN.indexOf(cp) >= 0) {
        finding = finding == Finding.NONE ? Finding.FORBIDDEN : finding;
        space |= spaced && out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.appendCodePoint(cp);
    }
    return new Cleaned(out.toString(), finding);
  }

  private static boolean isWhitespace(int cp) {
    return cp == '\t' || cp == '\n' || cp == '\r' || Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  private static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.SURROGATE || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  /** The matching view of a cleaned prompt or of a block-list term. */
  static String view(String cleaned) {
    String s = Normalizer.normalize(cleaned.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
    int n = s.length();
    StringBuilder out = new StringBuilder(n + 1);
    boolean prevSingle = false;
    boolean prevCjk = false;
    for (int i = 0; i < n; ) {
      int cp = s.codePointAt(i);
      if (isCjk(cp)) {
        if (out.length() > 0 && !prevCjk) {
          out.append(' ');
        }
        out.appendCodePoint(cp); // Chinese has no spaces: those between its characters are dropped
        i += Character.charCount(cp);
        prevCjk = true;
        prevSingle = false;
      } else if (isWordChar(cp)) {
        int j = i;
        int count = 0;
        while (j < n) {
          int c = s.codePointAt(j);
          if (isCjk(c) || !isWordChar(c)) {
            break;
          }
          j += Character.charCount(c);
          count++;
        }
        boolean single = count == 1;
        // One letter after another one-letter token: a spelled-out word (N U D E, n.u.d.e), joined.
        if (out.length() > 0 && !(single && prevSingle)) {
          out.append(' ');
        }
        out.append(s, i, j);
        i = j;
        prevSingle = single;
        prevCjk = false;
      } else {
        i += Character.charCount(cp); // separators only end tokens
      }
    }
    return out.toString();
  }

  private static boolean isWordChar(int cp) {
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  static boolean isCjk(int cp) {
    if (cp < 0x1100) {
      return false; // fast path: Latin, Greek, Cyrillic and the rest below Hangul Jamo
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
  }

  /** Whether a word may start at {@code at} of a view (Chinese and Latin are always apart in a view). */
  static boolean startsWord(String view, int at) {
    return at == 0 || view.charAt(at - 1) == ' ';
  }

  /** Whether a word may end at {@code at} of a view, allowing an English plural ({@code s}, {@code es}). */
  static boolean endsWord(String view, int at) {
    int n = view.length();
    if (at == n || view.charAt(at) == ' ') {
      return true;
    }
    if (view.charAt(at) == 's') {
      return at + 1 == n || view.charAt(at + 1) == ' ';
    }
    return view.charAt(at) == 'e' && at + 1 < n && view.charAt(at + 1) == 's'
        && (at + 2 == n || view.charAt(at + 2) == ' ');
  }
}
