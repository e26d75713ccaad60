package dev.f2p.security.prompt;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The two forms of a prompt: the cleaned prompt the engine sees (NFKC, invisible and control characters
 * gone, spacing collapsed, case kept) and the matching view the block lists run on (case folded, every
 * separator one space, spelled-out letters such as {@code N U D E} or {@code n.u.d.e} joined, digits and
 * {@code @$} inside words read as the letters they imitate, spaces between Chinese characters dropped).
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
    String s = Normalizer.normalize(raw, Normalizer.Form.NFKC);
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
        if (isInvisible(cp)) {
          continue; // zero-width, bidi controls, unpaired surrogates, private use, unassigned: always dropped
        }
        kind = Character.isWhitespace(cp) || Character.isSpaceChar(cp) ? SPACE
            : Character.getType(cp) == Character.CONTROL ? CONTROL : TEXT;
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

  private static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.SURROGATE || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  /** The matching view of a cleaned prompt or of a block-list term. */
  static String view(String cleaned) {
    String s = isAscii(cleaned) ? cleaned
        : Normalizer.normalize(cleaned.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
    int n = s.length();
    char[] out = new char[2 * n + 1]; // at most one space per token, and a token is at least one char
    int len = 0;
    boolean prevSingle = false;
    boolean prevCjk = false;
    for (int i = 0; i < n; ) {
      char ch = s.charAt(i);
      if (ch < 128) {
        if (!isAsciiWordChar(ch)) {
          i++; // separators only end tokens
          continue;
        }
      } else {
        int cp = s.codePointAt(i);
        if (isCjk(cp)) {
          if (len > 0 && !prevCjk) {
            out[len++] = ' ';
          }
          len += Character.toChars(cp, out, len); // Chinese has no spaces: those between its characters go
          i += Character.charCount(cp);
          prevCjk = true;
          prevSingle = false;
          continue;
        }
        if (!isWordChar(cp)) {
          i += Character.charCount(cp);
          continue;
        }
      }
      int j = i;
      int count = 0;
      boolean letters = false;
      int digits = 0;
      while (j < n) {
        char c = s.charAt(j);
        if (c < 128) {
          if (!isAsciiWordChar(c)) {
            break;
          }
          letters |= c >= 'A'; // letters sort after digits, '@' and '$' in ASCII
          digits += c <= '9' && c >= '0' ? 1 : 0;
          j++;
        } else {
          int cp = s.codePointAt(j);
          if (isCjk(cp) || !isWordChar(cp)) {
            break;
          }
          letters = true;
          j += Character.charCount(cp);
        }
        count++;
      }
      // Leetspeak (n4k3d, p0rn, $ex) only inside words with letters: 1990, 85 and $100 stay numbers.
      int emitted = letters ? count : digits;
      if (emitted == 0) {
        i = j; // a lone '@' or '$'
        continue;
      }
      boolean single = emitted == 1;
      // One letter after another one-letter token: a spelled-out word (N U D E, n.u.d.e), joined.
      if (len > 0 && !(single && prevSingle)) {
        out[len++] = ' ';
      }
      for (int k = i; k < j; k++) {
        char c = s.charAt(k);
        if (c < 128) {
          c = letters ? LEET[c] : (c == '@' || c == '$') ? 0 : c;
          if (c == 0) {
            continue;
          }
        }
        out[len++] = c;
      }
      i = j;
      prevSingle = single;
      prevCjk = false;
    }
    return new String(out, 0, len);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 128) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' || c == '$';
  }

  /** ASCII inside a word with letters: lower case, and the usual letter look-alikes read as letters. */
  private static final char[] LEET = new char[128];

  static {
    for (char c = 0; c < 128; c++) {
      LEET[c] = c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c;
    }
    String from = "013457@$";
    String to = "oieastas";
    for (int k = 0; k < from.length(); k++) {
      LEET[from.charAt(k)] = to.charAt(k);
    }
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
