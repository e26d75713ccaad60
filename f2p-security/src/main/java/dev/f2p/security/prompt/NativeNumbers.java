package dev.f2p.security.prompt;

import java.util.Map;

/**
 * The number written just before a Chinese, Japanese or Korean counter of years ({@code 12岁},
 * {@code 十二歳}, {@code 열두 살}): digits of any script, Han numerals up to 99, or a Korean native numeral
 * up to 29. Stateless.
 */
final class NativeNumbers {
  private NativeNumbers() {}

  private static final String HAN_DIGITS = "〇一二三四五六七八九";

  /** Korean native numerals as they stand before a counter. */
  private static final Map<String, Integer> KOREAN = Map.ofEntries(
      Map.entry("한", 1), Map.entry("두", 2), Map.entry("세", 3), Map.entry("네", 4), Map.entry("다섯", 5),
      Map.entry("여섯", 6), Map.entry("일곱", 7), Map.entry("여덟", 8), Map.entry("아홉", 9), Map.entry("열", 10),
      Map.entry("열한", 11), Map.entry("열두", 12), Map.entry("열세", 13), Map.entry("열네", 14),
      Map.entry("열다섯", 15), Map.entry("열여섯", 16), Map.entry("열일곱", 17), Map.entry("열여덟", 18),
      Map.entry("열아홉", 19), Map.entry("스무", 20), Map.entry("스물", 20));

  /** The value written before index {@code at} of {@code s}, or -1 when there is none. */
  static int before(String s, int at) {
    int end = at;
    while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && Character.isDigit(s.charAt(start - 1))) {
      start--;
    }
    if (start < end) {
      return end - start > 3 ? -1 : digits(s, start, end);
    }
    while (start > 0 && (HAN_DIGITS.indexOf(s.charAt(start - 1)) >= 0 || s.charAt(start - 1) == '十'
        || s.charAt(start - 1) == '两' || s.charAt(start - 1) == '兩')) {
      start--;
    }
    if (start < end) {
      return han(s.substring(start, end));
    }
    while (start > 0 && Character.UnicodeScript.of(s.charAt(start - 1)) == Character.UnicodeScript.HANGUL
        && end - start < 4) {
      start--;
    }
    // the longest Korean numeral that ends the word before the counter
    for (int from = start; from < end; from++) {
      Integer v = KOREAN.get(s.substring(from, end));
      if (v != null) {
        return v;
      }
    }
    return -1;
  }

  private static int digits(String s, int start, int end) {
    int v = 0;
    for (int i = start; i < end; i++) {
      v = v * 10 + Character.digit(s.charAt(i), 10);
    }
    return v;
  }

  private static int han(String t) {
    int ten = t.indexOf('十');
    if (ten < 0) {
      return t.length() == 1 ? hanDigit(t.charAt(0)) : -1;
    }
    int tens = ten == 0 ? 1 : ten == 1 ? hanDigit(t.charAt(0)) : -1;
    int ones = ten == t.length() - 1 ? 0 : ten == t.length() - 2 ? hanDigit(t.charAt(ten + 1)) : -1;
    return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
  }

  private static int hanDigit(char c) {
    return c == '两' || c == '兩' ? 2 : HAN_DIGITS.indexOf(c);
  }
}
