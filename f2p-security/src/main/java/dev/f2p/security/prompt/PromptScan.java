package dev.f2p.security.prompt;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The matching views of a case-folded prompt (see {@link Fold#caseFold}), built in one pass:
 * <ul>
 *   <li>a Latin view: every word of an alphabetic script read as ASCII letters (Cyrillic, Greek, Armenian
 *       and the rest through {@link Fold}'s ICU tables), digits, {@code @} and {@code $} inside words read
 *       as the letters they imitate ({@code n4k3d}), words run together with a record of where each
 *       starts, and whether the gap before it was a space or only punctuation or markup ({@code n.u.d.e},
 *       {@code nu-de}), so that a match may span the pieces of a split word;
 *   <li>when a word is made only of look-alike letters ({@code ѕех}), a second Latin view reading it as the
 *       ASCII letters it imitates (UTS #39 skeleton) where the first reads it as transliterated;
 *   <li>a native view of the scripts matched as written (Han, kana folded to katakana, Hangul, Arabic),
 *       with separators dropped (Chinese and Japanese write no spaces; {@code 裸 体} is {@code 裸体});
 *   <li>numbers (for ages) and ages written with a Chinese, Japanese or Korean counter ({@code 12岁},
 *       {@code 十二歳}, {@code 열두 살}).
 * </ul>
 * Every word of the Latin views and every character of the native view has a position, one counter for
 * all, so that rules can ask whether two terms are near each other whatever their scripts.
 *
 * <p>Not thread-safe; one per check.
 */
final class PromptScan {
  /** One Latin reading: letters only, words run together. */
  static final class LatinView {
    char[] text;
    int len;
    int[] tokStart = new int[16];
    int[] tokEnd = new int[16];
    int[] tokPos = new int[16];
    boolean[] joinBefore = new boolean[16];
    int tokens;
    /** The token each character belongs to. */
    int[] charTok;

    LatinView(int capacity) {
      text = new char[capacity];
      charTok = new int[capacity];
    }

    LatinView copy() {
      LatinView c = new LatinView(text.length);
      System.arraycopy(text, 0, c.text, 0, len);
      System.arraycopy(charTok, 0, c.charTok, 0, len);
      c.len = len;
      c.tokStart = tokStart.clone();
      c.tokEnd = tokEnd.clone();
      c.tokPos = tokPos.clone();
      c.joinBefore = joinBefore.clone();
      c.tokens = tokens;
      return c;
    }

    void append(char c) {
      if (len == text.length) {
        text = Arrays.copyOf(text, len * 2 + 16);
        charTok = Arrays.copyOf(charTok, text.length);
      }
      charTok[len] = tokens;
      text[len++] = c;
    }

    void append(String s) {
      for (int i = 0; i < s.length(); i++) {
        append(s.charAt(i));
      }
    }

    /** Starts a token; {@link #end} closes it, or discards it when nothing was appended. */
    int begin() {
      return len;
    }

    void end(int start, int pos, boolean join) {
      if (len == start) {
        return;
      }
      if (tokens == tokStart.length) {
        int n = tokens * 2;
        tokStart = Arrays.copyOf(tokStart, n);
        tokEnd = Arrays.copyOf(tokEnd, n);
        tokPos = Arrays.copyOf(tokPos, n);
        joinBefore = Arrays.copyOf(joinBefore, n);
      }
      tokStart[tokens] = start;
      tokEnd[tokens] = len;
      tokPos[tokens] = pos;
      joinBefore[tokens] = join && tokens > 0;
      tokens++;
    }

    String text() {
      return new String(text, 0, len);
    }
  }

  /** The scripts matched as written. */
  static final class NativeView {
    char[] text;
    int[] pos;
    int len;

    NativeView(int capacity) {
      text = new char[capacity];
      pos = new int[capacity];
    }

    void append(char c, int p) {
      if (len == text.length) {
        text = Arrays.copyOf(text, len * 2 + 16);
        pos = Arrays.copyOf(pos, text.length);
      }
      text[len] = c;
      pos[len++] = p;
    }

    /** Something else came between: no native term may span it. */
    void cut(int p) {
      if (len > 0 && text[len - 1] != '|') {
        append('|', p);
      }
    }

    String text() {
      return new String(text, 0, len);
    }
  }

  /**
   * A number written in digits at {@code pos}; {@code suffix} holds the letters that follow in the same
   * word ({@code 12yo}), read as ASCII, or is empty.
   */
  record Number(int pos, int value, String suffix) {}

  final LatinView latin;
  /** The look-alike reading, or null when no word has one. */
  @Nullable LatinView alternative;
  final NativeView nativeView;
  int[] numbers = new int[0]; // pos, value pairs
  String[] suffixes = new String[0];
  int numberCount;
  /** Ages written with a CJK or Korean counter: pos, value pairs. */
  int[] nativeAges = new int[0];
  int nativeAgeCount;
  int positions;

  private PromptScan(int capacity) {
    latin = new LatinView(capacity);
    nativeView = new NativeView(Math.max(16, capacity / 4));
  }

  /** Scans case-folded text. */
  static PromptScan of(String s) {
    PromptScan scan = new PromptScan(s.length() + 16);
    scan.run(s);
    return scan;
  }

  Number number(int i) {
    return new Number(numbers[2 * i], numbers[2 * i + 1], suffixes[i]);
  }

  private void run(String s) {
    // Read from an array: String.codePointAt checks the string's coder and bounds on every character.
    char[] t = s.toCharArray();
    int n = t.length;
    int pos = 0;
    boolean space = true;
    for (int i = 0; i < n; ) {
      int cp = Character.codePointAt(t, i);
      if (isTokenChar(cp)) {
        int j = i;
        while (j < n) {
          int c = Character.codePointAt(t, j);
          if (!isTokenChar(c)) {
            break;
          }
          j += Character.charCount(c);
        }
        token(t, i, j, pos++, !space);
        nativeView.cut(pos);
        space = false;
        i = j;
        continue;
      }
      int cc = Character.charCount(cp);
      if (isNative(cp)) {
        if (AGE_COUNTERS.indexOf(cp) >= 0) {
          int value = NativeNumbers.before(s, i);
          if (value >= 0) {
            nativeAges = grow(nativeAges, 2 * nativeAgeCount + 2);
            nativeAges[2 * nativeAgeCount] = pos;
            nativeAges[2 * nativeAgeCount + 1] = value;
            nativeAgeCount++;
          }
        }
        nativeView.append(nativeChar(cp), pos++);
        space = true;
        i += cc;
        continue;
      }
      String word = cp < 0x80 ? null : Fold.emoji(cp);
      if (word != null) {
        emit(word, pos++);
        nativeView.cut(pos);
        space = true;
      } else if (cp < 0x80 ? isAsciiSpace(cp) : Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = true;
      }
      i += cc;
    }
    positions = pos;
  }

  /** A whole word (an emoji's meaning) into every view. */
  private void emit(String word, int pos) {
    int start = latin.begin();
    latin.append(word);
    latin.end(start, pos, false);
    if (alternative != null) {
      int alt = alternative.begin();
      alternative.append(word);
      alternative.end(alt, pos, false);
    }
  }

  private void token(char[] t, int i, int j, int pos, boolean join) {
    boolean letters = false;
    boolean lookalike = false;
    boolean unreadable = false;
    int digits = 0;
    int leadingDigits = -1;
    for (int k = i; k < j; ) {
      int cp = Character.codePointAt(t, k);
      k += Character.charCount(cp);
      if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') {
          letters = true;
        } else if (cp >= '0' && cp <= '9') {
          digits++;
        }
      } else if (isLetter(cp)) {
        letters = true;
        if (Fold.skeleton(cp) != null) {
          lookalike = true;
        } else {
          unreadable = true;
        }
      } else if (Character.isDigit(cp)) {
        digits++;
      }
      if (letters && leadingDigits < 0) {
        leadingDigits = digits;
      }
    }
    if (!letters) {
      if (digits == 0) {
        return; // a lone '@' or '$', or marks
      }
      int start = latin.begin();
      int alt = alternative == null ? 0 : alternative.begin();
      int value = 0;
      for (int k = i; k < j; ) {
        int cp = Character.codePointAt(t, k);
        k += Character.charCount(cp);
        int d = Character.digit(cp, 10);
        if (d >= 0) {
          latin.append((char) ('0' + d));
          if (alternative != null) {
            alternative.append((char) ('0' + d));
          }
          value = value * 10 + d;
        }
      }
      latin.end(start, pos, join);
      if (alternative != null) {
        alternative.end(alt, pos, join);
      }
      if (digits <= 3) {
        addNumber(pos, value, "");
      }
      return;
    }
    // A word of look-alikes only (every non-ASCII letter imitates ASCII): read it both ways.
    boolean twoReadings = lookalike && !unreadable;
    if (twoReadings && alternative == null) {
      alternative = latin.copy();
    }
    int start = latin.begin();
    int alt = alternative == null ? 0 : alternative.begin();
    for (int k = i; k < j; ) {
      int cp = Character.codePointAt(t, k);
      k += Character.charCount(cp);
      if (cp < 0x80) {
        char c = LEET[cp];
        if (c != 0) {
          latin.append(c);
          if (alternative != null) {
            alternative.append(c);
          }
        }
        continue;
      }
      if (isLetter(cp)) {
        String tr = Fold.translit(cp);
        String reading = tr == null ? new String(Character.toChars(cp)) : tr;
        // with two readings every letter of the word has a skeleton (the loop above made sure)
        String skeleton = twoReadings ? Fold.skeleton(cp) : null;
        latin.append(skeleton != null ? skeleton : reading);
        if (alternative != null) {
          alternative.append(reading);
        }
      } else if (Character.isDigit(cp)) {
        char c = LEET['0' + Character.digit(cp, 10)];
        latin.append(c);
        if (alternative != null) {
          alternative.append(c);
        }
      } // marks inside a word (Zalgo, harakat) are nothing
    }
    latin.end(start, pos, join);
    if (alternative != null) {
      alternative.end(alt, pos, join);
    }
    if (leadingDigits > 0 && leadingDigits <= 3) {
      numberWithSuffix(t, i, j, pos);
    }
  }

  /** {@code 12yo}, {@code 12-летняя} without its hyphen: the number and the letters after it. */
  private void numberWithSuffix(char[] t, int i, int j, int pos) {
    int value = 0;
    int k = i;
    while (k < j) {
      int cp = Character.codePointAt(t, k);
      int d = Character.digit(cp, 10);
      if (d < 0) {
        break;
      }
      value = value * 10 + d;
      k += Character.charCount(cp);
    }
    StringBuilder suffix = new StringBuilder();
    while (k < j) {
      int cp = Character.codePointAt(t, k);
      k += Character.charCount(cp);
      if (cp >= 'a' && cp <= 'z') {
        suffix.append((char) cp);
      } else if (cp >= 0x80 && isLetter(cp)) {
        String tr = Fold.translit(cp);
        if (tr != null) {
          suffix.append(tr);
        }
      }
    }
    addNumber(pos, value, suffix.toString());
  }

  private void addNumber(int pos, int value, String suffix) {
    numbers = grow(numbers, 2 * numberCount + 2);
    if (suffixes.length <= numberCount) {
      suffixes = Arrays.copyOf(suffixes, numberCount * 2 + 4);
    }
    numbers[2 * numberCount] = pos;
    numbers[2 * numberCount + 1] = value;
    suffixes[numberCount] = suffix;
    numberCount++;
  }

  private static int[] grow(int[] a, int min) {
    return a.length >= min ? a : Arrays.copyOf(a, Math.max(min, a.length * 2));
  }

  /** CJK and Korean counters of years of age. */
  private static final String AGE_COUNTERS = "岁歲歳才살";

  private static boolean isAsciiSpace(int c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  }

  static boolean isTokenChar(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '@' || cp == '$' || cp == '\''
          || (cp >= 'A' && cp <= 'Z');
    }
    return cp < Classes.SIZE ? (Classes.OF[cp] & Classes.TOKEN) != 0 : tokenChar(cp);
  }

  /** {@link Character#isLetter(int)}, from the table in the Basic Multilingual Plane. */
  private static boolean isLetter(int cp) {
    return cp < Classes.SIZE ? (Classes.OF[cp] & Classes.LETTER) != 0 : Character.isLetter(cp);
  }

  /** Scripts matched as written: Han, kana, Hangul, Arabic letters. */
  static boolean isNative(int cp) {
    return cp < Classes.SIZE ? (Classes.OF[cp] & Classes.NATIVE) != 0 : nativeScript(cp);
  }

  /**
   * {@link #isTokenChar} and {@link #isNative} for the Basic Multilingual Plane, tabulated once per JVM:
   * asking {@link Character.UnicodeScript} and {@link Character#getType} per character made a mixed-script
   * prompt cost several times an English one.
   */
  private static final class Classes {
    static final int SIZE = 0x10000;
    static final byte TOKEN = 1;
    static final byte NATIVE = 2;
    static final byte LETTER = 4;
    static final byte[] OF = new byte[SIZE];

    static {
      for (int cp = 0x80; cp < SIZE; cp++) {
        OF[cp] = (byte) ((tokenChar(cp) ? TOKEN : 0) | (nativeScript(cp) ? NATIVE : 0)
            | (Character.isLetter(cp) ? LETTER : 0));
      }
    }
  }

  private static boolean tokenChar(int cp) {
    if (cp < 0x80) {
      // An apostrophe is part of a word (friend's is one word, so 's ex' never reads as 'sex').
      return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '@' || cp == '$' || cp == '\''
          || (cp >= 'A' && cp <= 'Z');
    }
    if (cp == 0x2019 || cp == 0x02BC) {
      return true; // typographic apostrophes
    }
    if (nativeScript(cp) || Fold.emoji(cp) != null) {
      return false;
    }
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
  }

  private static boolean nativeScript(int cp) {
    if (cp < 0x0600) {
      return false;
    }
    if (cp == 0x30FC || cp == 0x3005) {
      return true; // the katakana long vowel mark and the ideographic iteration mark
    }
    if (cp == 0x0640 || !Character.isLetter(cp)) {
      return false; // the Arabic tatweel only stretches a word
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
        || script == Character.UnicodeScript.ARABIC;
  }

  /** Hiragana read as katakana, so one Japanese entry matches both. */
  static char nativeChar(int cp) {
    if (cp >= 0x3041 && cp <= 0x3096) {
      return (char) (cp + 0x60);
    }
    return cp <= 0xFFFF ? (char) cp : '\uFFFD'; // rare supplementary Han: no list term uses them
  }

  /** ASCII inside a word: the usual letter look-alikes read as letters; 0 for nothing. */
  private static final char[] LEET = new char[128];

  static {
    for (char c = 0; c < 128; c++) {
      LEET[c] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : 0;
    }
    String from = "013457@$";
    String to = "oieastas";
    for (int k = 0; k < from.length(); k++) {
      LEET[from.charAt(k)] = to.charAt(k);
    }
  }
}
