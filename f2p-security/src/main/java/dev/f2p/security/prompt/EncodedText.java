package dev.f2p.security.prompt;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What ICU does not see: text hidden in markup and in encodings. Markup tags ({@code <b>}, {@code </span>},
 * {@code [b]}, comments) become a joiner, so that {@code nu<b></b>de} reads as one word and
 * {@code nude<br>woman} as two; text encoded in base64, hex, percent-encoding, HTML character references
 * or {@code \\u} escapes is decoded, and a prompt that names ROT13 is read shifted back (at most {@value #MAX_DECODED} pieces of at most
 * {@value #MAX_CHARS} characters, nested at most twice) and checked with the prompt. Decoded bytes count
 * only when they are UTF-8 text of mostly letters, so ordinary words that happen to be valid base64 add
 * nothing. Stateless and thread-safe.
 */
final class EncodedText {
  private EncodedText() {}

  static final int MAX_DECODED = 8;
  static final int MAX_CHARS = 2000;
  /** What a removed tag leaves: punctuation, so a word may continue across it. */
  static final char JOINER = '\u2027';

  private static final Pattern TAG = Pattern.compile(
      "<!--.{0,200}?-->|</?[A-Za-z][A-Za-z0-9]{0,15}(?:\\s[^<>]{0,200})?/?>|\\[/?(?:b|i|u|s|em|strong|color|size|font|url)(?:=[^\\]]{0,40})?]",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{8,}={0,2}");
  private static final Pattern PERCENT = Pattern.compile("(?:%[0-9A-Fa-f]{2})+");
  private static final Pattern ENTITY = Pattern.compile("&#(?:[xX]([0-9A-Fa-f]{1,6})|([0-9]{1,7}));?");
  private static final Pattern ESCAPE = Pattern.compile("\\\\[uU]\\+?([0-9A-Fa-f]{4})");

  /** The prompt with markup tags replaced by {@link #JOINER}. */
  static String withoutTags(String raw) {
    if (raw.indexOf('<') < 0 && raw.indexOf('[') < 0) {
      return raw;
    }
    return TAG.matcher(raw).replaceAll(String.valueOf(JOINER));
  }

  /** Texts decoded from {@code text}, bounded as the class says; empty when it hides none. */
  static List<String> decoded(String text) {
    List<String> out = new ArrayList<>();
    collect(text, out, 2);
    return out;
  }

  private static void collect(String text, List<String> out, int depth) {
    if (depth == 0 || out.size() >= MAX_DECODED) {
      return;
    }
    int before = out.size();
    if (text.indexOf('%') >= 0) {
      add(out, percent(text));
    }
    if (namesRot13(text)) {
      add(out, rot13(text));
    }
    if (text.indexOf("&#") >= 0) {
      add(out, replace(ENTITY, text, m -> {
        int cp = m.group(1) != null ? Integer.parseInt(m.group(1), 16) : Integer.parseInt(m.group(2));
        return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : "";
      }));
    }
    if (text.indexOf('\\') >= 0) {
      add(out, replace(ESCAPE, text, m -> String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    }
    for (int i = 0, n = text.length(); i < n && out.size() < MAX_DECODED; ) {
      char c = text.charAt(i);
      if (!isBase64Char(c)) {
        i++;
        continue;
      }
      int j = i;
      while (j < n && (isBase64Char(text.charAt(j)) || text.charAt(j) == '=')) {
        j++;
      }
      // Most words are never candidates: decide on the characters before allocating anything.
      if (j - i >= 8 && j - i <= 4 * MAX_CHARS) {
        if (isHex(text, i, j)) {
          add(out, text(hex(text.substring(i, j))));
        } else if (looksEncoded(text, i, j)) {
          String token = text.substring(i, j);
          if (BASE64.matcher(token).matches()) {
            add(out, text(base64(token)));
          }
        }
      }
      i = j;
    }
    for (int k = before, end = out.size(); k < end; k++) {
      collect(out.get(k), out, depth - 1);
    }
  }

  /**
   * Whether the text names ROT13 ({@code rot13}, {@code rot-13}, {@code rot 13}) or a Caesar shift: only
   * then is it read shifted back, so ordinary words are never rotated. A scan by hand: a regular expression
   * here cost more than the rest of the decoding.
   */
  static boolean namesRot13(String t) {
    for (int i = t.indexOf('1'); i >= 3; i = t.indexOf('1', i + 1)) {
      if (i + 1 < t.length() && t.charAt(i + 1) == '3') {
        int r = t.charAt(i - 1) == ' ' || t.charAt(i - 1) == '-' ? i - 4 : i - 3;
        if (r >= 0 && t.regionMatches(true, r, "rot", 0, 3)) {
          return true;
        }
      }
    }
    for (int i = indexOfIgnoreCase(t, 'c', 0); i >= 0; i = indexOfIgnoreCase(t, 'c', i + 1)) {
      if (t.regionMatches(true, i, "caesar", 0, 6)) {
        return true;
      }
    }
    return false;
  }

  private static int indexOfIgnoreCase(String t, char lower, int from) {
    for (int i = from, n = t.length(); i < n; i++) {
      if ((t.charAt(i) | 0x20) == lower) {
        return i;
      }
    }
    return -1;
  }

  private static String rot13(String text) {
    char[] c = text.toCharArray();
    for (int i = 0; i < c.length; i++) {
      char x = c[i];
      if (x >= 'a' && x <= 'z') {
        c[i] = (char) ('a' + (x - 'a' + 13) % 26);
      } else if (x >= 'A' && x <= 'Z') {
        c[i] = (char) ('A' + (x - 'A' + 13) % 26);
      }
    }
    return new String(c);
  }

  private static boolean isBase64Char(char c) {
    return c < 0x80 && BASE64_CHARS[c];
  }

  /** Letters, digits and {@code +/_-}, by table: asking Character per character of every prompt showed. */
  private static final boolean[] BASE64_CHARS = new boolean[0x80];

  static {
    for (char c = 0; c < 0x80; c++) {
      BASE64_CHARS[c] = Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '_' || c == '-';
    }
  }

  /** Mixed case, or digits among letters: English words seldom look like this, base64 nearly always. */
  private static boolean looksEncoded(String t, int from, int to) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper && lower && (digit || (to - from) % 4 == 0 || t.charAt(to - 1) == '=');
  }

  /** An even number of hex digits with at least one digit and one letter (so neither 'deadbeef' nor 12345678 alone). */
  private static boolean isHex(String t, int from, int to) {
    if ((to - from) % 2 != 0) {
      return false;
    }
    boolean digit = false;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (!(c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return digit;
  }

  private static void add(List<String> out, @Nullable String s) {
    if (s != null && !s.isBlank() && out.size() < MAX_DECODED) {
      out.add(s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s);
    }
  }

  private static byte @Nullable [] base64(String token) {
    String t = token.replace('-', '+').replace('_', '/');
    int pad = t.indexOf('=');
    t = pad >= 0 ? t.substring(0, pad) : t;
    if (t.length() % 4 == 1) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(t + "==".substring(0, (4 - t.length() % 4) % 4));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] hex(String token) {
    byte[] b = new byte[token.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(token, 2 * i, 2 * i + 2, 16);
    }
    return b;
  }

  private static @Nullable String percent(String text) {
    Matcher m = PERCENT.matcher(text);
    StringBuilder sb = new StringBuilder();
    boolean any = false;
    while (m.find()) {
      String run = m.group();
      byte[] b = new byte[run.length() / 3];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) Integer.parseInt(run, 3 * i + 1, 3 * i + 3, 16);
      }
      String s = utf8(b);
      m.appendReplacement(sb, Matcher.quoteReplacement(s == null ? run : s));
      any = true;
    }
    m.appendTail(sb);
    return any ? sb.toString() : null;
  }

  private static @Nullable String replace(Pattern p, String text, java.util.function.Function<Matcher, String> f) {
    Matcher m = p.matcher(text);
    StringBuilder sb = new StringBuilder();
    boolean any = false;
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
      any = true;
    }
    m.appendTail(sb);
    return any ? sb.toString() : null;
  }

  /** Decoded bytes as text, when they are UTF-8 of mostly letters and spaces; else null. */
  static @Nullable String text(byte @Nullable [] bytes) {
    if (bytes == null || bytes.length < 3) {
      return null;
    }
    String s = utf8(bytes);
    if (s == null) {
      return null;
    }
    int letters = 0;
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
      } else if (!Character.isWhitespace(c) && !Character.isDigit(c) && ",.!?'\"-:;()".indexOf(c) < 0
          && !Character.isSurrogate(c)) {
        other++;
      }
    }
    return letters >= 3 && other * 10 <= s.length() ? s : null;
  }

  private static @Nullable String utf8(byte[] b) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
