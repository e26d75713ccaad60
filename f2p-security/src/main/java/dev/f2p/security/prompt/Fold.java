package dev.f2p.security.prompt;

import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.text.Transliterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What each character of a prompt reads as, from ICU: NFKC case folding ({@link Normalizer2}), the UTS #39
 * confusable skeleton ({@link SpoofChecker}) and the {@code Any-Latin; Latin-ASCII} transliteration, so
 * that {@code nudе} with a Cyrillic {@code е}, {@code ѕех} and {@code голая} all reach the Latin lists.
 *
 * <p>ICU's transliterator takes about 4 ms for a 2,000-character Russian prompt (measured on this
 * project's machine), eighty times the filter's budget, and compiling it takes a second. So the readings
 * are tabulated once per JVM, on first use, for every letter of the alphabetic scripts (Latin extensions,
 * Greek, Cyrillic, Armenian, Georgian, Hebrew, the Indic scripts and the rest below U+2000, and a few
 * later blocks); a prompt then costs one array load per character. Transliterating letter by letter loses
 * the few context rules of ICU's transliterators, which does not matter here: terms and prompts are read
 * through the same table, so they agree. Chinese, Japanese, Korean and Arabic are not transliterated but
 * matched in their own script (see {@link PromptScan}): pinyin would make homophones of harmless words
 * ({@code 自由落体}, free fall, reads {@code zi you luo ti} like {@code 裸体}, nude).
 *
 * <p>The tables are built inside a class initialiser (so at most once, safely published) with ICU
 * instances that never leave it; afterwards everything here is read-only and thread-safe.
 */
final class Fold {
  private Fold() {}

  /** Blocks whose letters are tabulated: alphabetic scripts that are read through Latin. */
  private static final int[][] TABLE_RANGES = {
      {0x0080, 0x05FF}, {0x0700, 0x1FFF}, {0x2C00, 0x2DFF}, {0xA640, 0xA7FF}, {0xAB00, 0xABFF}, {0xFB00, 0xFB4F}};

  /** NFKC with case folding; ASCII is only lowered (the common case asks ICU for nothing). */
  static String caseFold(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return NormalForm.NFKC_CF.normalize(s); // ICU's NFKC_Casefold, by table where exact
      }
    }
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The Latin reading of a non-ASCII code point ({@code a-z} only, possibly empty), or {@code null} when
   * it has none in the table.
   */
  static @Nullable String translit(int cp) {
    return cp < Tables.SIZE ? Tables.TRANSLIT[cp] : null;
  }

  /** The ASCII letters a non-ASCII code point imitates (its UTS #39 skeleton), or {@code null}. */
  static @Nullable String skeleton(int cp) {
    return cp < Tables.SIZE ? Tables.SKELETON[cp] : null;
  }

  /**
   * The meaning of an emoji as a word of the lists ({@code emoji...} for those whose sense depends on
   * context, a plain word where the emoji says it), or {@code null}.
   */
  static @Nullable String emoji(int cp) {
    return EMOJI.get(cp);
  }

  // Emoji that stand for a listed concept. Words with an innocent sense get an "emoji" prefix, so that the
  // lists decide in which company they count (an aubergine next to a child, not in a recipe).
  private static final Map<Integer, String> EMOJI = Map.ofEntries(
      Map.entry(0x1F346, "emojieggplant"), Map.entry(0x1F351, "emojipeach"), Map.entry(0x1F4A6, "emojisplash"),
      Map.entry(0x1F445, "emojitongue"), Map.entry(0x1F48B, "emojikiss"), Map.entry(0x1F51E, "nsfw"),
      Map.entry(0x1F476, "baby"), Map.entry(0x1F9D2, "child"), Map.entry(0x1F467, "emojigirl"),
      Map.entry(0x1F466, "emojiboy"), Map.entry(0x1F6B8, "children"), Map.entry(0x1F37C, "baby"),
      Map.entry(0x1F459, "bikini"), Map.entry(0x1FA72, "underwear"), Map.entry(0x1FA71, "swimsuit"),
      Map.entry(0x1F455, "clothes"), Map.entry(0x1F457, "clothes"), Map.entry(0x1F45A, "clothes"),
      Map.entry(0x1F456, "clothes"), Map.entry(0x1FA73, "clothes"), Map.entry(0x1F6AB, "no"),
      Map.entry(0x274C, "no"), Map.entry(0x2716, "no"), Map.entry(0x1F52A, "knife"), Map.entry(0x1F52B, "gun"),
      Map.entry(0x1F4A3, "bomb"), Map.entry(0x1FA78, "blood"), Map.entry(0x1FAA2, "noose"),
      Map.entry(0x26B0, "coffin"), Map.entry(0x1F480, "skull"), Map.entry(0x1F6C2, "passport"),
      Map.entry(0x1FAAA, "idcard"));

  /** Built on first use; see the class comment. */
  private static final class Tables {
    static final int SIZE = 0x10000;
    static final @Nullable String[] TRANSLIT = new String[SIZE];
    static final @Nullable String[] SKELETON = new String[SIZE];

    static {
      StringBuilder letters = new StringBuilder();
      int count = 0;
      for (int[] range : TABLE_RANGES) {
        for (int cp = range[0]; cp <= range[1]; cp++) {
          if (Character.isLetter(cp)) {
            letters.appendCodePoint(cp).append('\n');
            count++;
          }
        }
      }
      // One call over all letters, newline-separated: a second where one call per letter takes ten.
      Transliterator latin = Transliterator.getInstance("Any-Latin; Latin-ASCII; Lower");
      String[] readings = latin.transliterate(letters.toString()).split("\n", -1);
      if (readings.length != count + 1) {
        throw new IllegalStateException("ICU transliteration changed the number of lines: " + readings.length);
      }
      SpoofChecker spoof = new SpoofChecker.Builder().build();
      int k = 0;
      for (int[] range : TABLE_RANGES) {
        for (int cp = range[0]; cp <= range[1]; cp++) {
          if (Character.isLetter(cp)) {
            TRANSLIT[cp] = asciiLetters(readings[k++]);
            String skeleton = spoof.getSkeleton(new String(Character.toChars(cp))).toLowerCase(java.util.Locale.ROOT);
            SKELETON[cp] = isAsciiLetters(skeleton) ? skeleton : null;
          }
        }
      }
    }

    private static String asciiLetters(String s) {
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c >= 'a' && c <= 'z') {
          b.append(c); // apostrophes for soft signs and the like would split words: dropped
        }
      }
      return b.toString();
    }

    private static boolean isAsciiLetters(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 'a' || c > 'z') {
          return false;
        }
      }
      return true;
    }
  }
}
