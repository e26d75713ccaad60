package dev.f2p.security.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.ibm.icu.text.Normalizer2;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PromptTextTest {
  private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();

  /** Where the table answers, it answers what ICU does: every BMP character between neighbours that interact. */
  @Test
  void nfkcByTableAgreesWithIcuForEveryCharacterInContext() {
    String[] around = {"", "a", "e", "\u0301", "\u0327", "\u1100", "\u1161", "\u11A8", "\uAC00", "\u3099", "\uFF0C",
        "\u0928", "\u093C", "\u0B47", "\u0B3E", "\u0DD9", "\u0DCF", "\uD835\uDC00", "\u2126", "\u00A8"};
    int answered = 0;
    for (int c = 0; c < 0x10000; c++) {
      String one = String.valueOf((char) c);
      for (String before : around) {
        for (String after : new String[] {"", "a", "\u0301", "\u1161", "\u11A8", "\u3099", "\u093C", "\u0B3E"}) {
          String s = before + one + after;
          String fast = PromptText.nfkcByTable(s);
          if (fast != null) {
            assertEquals(NFKC.normalize(s), fast, () -> "U+" + Integer.toHexString(s.charAt(0)) + " in " + escape(s));
            answered++;
          }
        }
      }
    }
    assertEquals(true, answered > 1_000_000, "the table answers for most text: " + answered);
  }

  @Test
  void nfkcByTableAgreesWithIcuOnRandomMixtures() {
    String pool = "aeoAEO \u0301\u0308\u0327\u0323\u1100\u1161\u11A8\uAC00\uAC01\u3099\u309A\u304B\u30AB\uFF0C\uFF21"
        + "\uFB01\u2126\u212B\u00C5\u00A8\u0928\u093C\u0B47\u0B3E\u0DD9\u0DCF\u0F73\u0344\u0340\u1E9B\u00BD\u2460"
        + "\u3300\uFDFA\u0627\u0653\u064B\u0410\u0439\u0306\u03B5\u03AD\u1FEE\u0385";
    Random random = new Random(7);
    for (int k = 0; k < 200_000; k++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
        b.append(pool.charAt(random.nextInt(pool.length())));
      }
      String s = b.toString();
      String fast = PromptText.nfkcByTable(s);
      if (fast != null) {
        assertEquals(NFKC.normalize(s), fast, () -> escape(s));
      }
    }
  }

  @Test
  void nfkcByTableMapsFullwidthPunctuationAndLeavesNormalTextAlone() {
    String chinese = "花园里的女人肖像，柔和的光线，";
    assertEquals("花园里的女人肖像,柔和的光线,", PromptText.nfkcByTable(chinese));
    String russian = "портрет женщины в саду";
    assertSame(russian, PromptText.nfkcByTable(russian));
    assertEquals("\uFDFA".length() < NFKC.normalize("\uFDFA").length(), true);
    assertEquals(NFKC.normalize("x\uFDFAy\uFDFA"), PromptText.nfkcByTable("x\uFDFAy\uFDFA"));
    assertNull(PromptText.nfkcByTable("e\u0301"), "a combining mark is ICU's");
    assertNull(PromptText.nfkcByTable("\uD835\uDC00"), "a supplementary character is ICU's");
    assertNotNull(PromptText.nfkcByTable("\uFF21\uFF22"));
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(ch -> b.append(String.format("\\u%04X", ch)));
    return b.toString();
  }
}
