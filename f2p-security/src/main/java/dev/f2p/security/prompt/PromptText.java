package dev.f2p.security.prompt;

/**
 * The cleaned prompt the engine sees: NFKC, invisible and control characters gone, spacing collapsed,
 * case kept. The matching views are {@link PromptScan}'s.
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
    // NFKC by table, else ICU's: the JDK's Normalizer took more than the whole rest of the filter on a
    // 2,000-character Cyrillic or CJK prompt.
    String s = NormalForm.NFKC.normalize(raw);
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
