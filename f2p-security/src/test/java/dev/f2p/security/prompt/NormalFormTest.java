package dev.f2p.security.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.icu.text.Normalizer2;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tables give ICU's answer or none: checked against ICU itself. */
class NormalFormTest {
  private static NormalForm form(boolean casefold) {
    return casefold ? NormalForm.NFKC_CF : NormalForm.NFKC;
  }

  private static Normalizer2 icu(boolean casefold) {
    return casefold ? Normalizer2.getNFKCCasefoldInstance() : Normalizer2.getNFKCInstance();
  }

  /** Every BMP character, between neighbours that compose, reorder or map. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyCharacterInContextAgreesWithIcu(boolean casefold) {
    NormalForm form = form(casefold);
    Normalizer2 icu = icu(casefold);
    String[] before = {"", "a", "A", "e", "\u0301", "\u0327", "\u1100", "\u1161", "\u11A8", "\uAC00", "\u3099",
        "\uFF0C", "\u0928", "\u093C", "\u0B47", "\u0B3E", "\u0DD9", "\u0DCF", "\uD835\uDC00", "\u2126", "\u00A8",
        "\u00AD", "\u0399", "\u0345"};
    String[] after = {"", "a", "\u0301", "\u0345", "\u1161", "\u11A8", "\u3099", "\u093C", "\u0B3E", "\u00AD"};
    int answered = 0;
    for (int c = 0; c < 0x10000; c++) {
      String one = String.valueOf((char) c);
      for (String b : before) {
        for (String a : after) {
          String s = b + one + a;
          String fast = form.byTable(s);
          if (fast != null) {
            assertEquals(icu.normalize(s), fast, () -> escape(s));
            answered++;
          }
        }
      }
    }
    assertTrue(answered > 1_000_000, "the table answers for most text: " + answered);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void randomMixturesAgreeWithIcu(boolean casefold) {
    NormalForm form = form(casefold);
    Normalizer2 icu = icu(casefold);
    String pool = "aeoAEO \u0301\u0308\u0327\u0323\u1100\u1161\u11A8\uAC00\uAC01\u3099\u309A\u304B\u30AB\uFF0C\uFF21"
        + "\uFB01\u2126\u212B\u00C5\u00A8\u0928\u093C\u0B47\u0B3E\u0DD9\u0DCF\u0F73\u0344\u0340\u1E9B\u00BD\u2460"
        + "\u3300\uFDFA\u0627\u0653\u064B\u0410\u0439\u0306\u03B5\u03AD\u1FEE\u0385\u0399\u0345\u00AD\u00DF\u1E9E"
        + "\u0130\u03A3\u03C2\u0418";
    Random random = new Random(7);
    for (int k = 0; k < 200_000; k++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
        b.append(pool.charAt(random.nextInt(pool.length())));
      }
      String s = b.toString();
      String fast = form.byTable(s);
      if (fast != null) {
        assertEquals(icu.normalize(s), fast, () -> escape(s));
      }
    }
  }

  @Test
  void fullwidthPunctuationByTableNormalTextUntouchedTheRestIcus() {
    assertEquals("花园里的女人肖像,柔和的光线,", NormalForm.NFKC.byTable("花园里的女人肖像，柔和的光线，"));
    String russian = "портрет женщины в саду";
    assertSame(russian, NormalForm.NFKC.byTable(russian));
    assertEquals("портрет женщины", NormalForm.NFKC_CF.byTable("Портрет ЖЕНЩИНЫ"));
    String expanding = "x\uFDFAy\uFDFA\uFDFA";
    assertEquals(Normalizer2.getNFKCInstance().normalize(expanding), NormalForm.NFKC.byTable(expanding));
    assertNull(NormalForm.NFKC.byTable("e\u0301"), "a combining mark is ICU's");
    assertNull(NormalForm.NFKC.byTable("\uD835\uDC00"), "a supplementary character is ICU's");
    assertEquals("e\u0301".length() - 1, NormalForm.NFKC.normalize("e\u0301").length());
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(ch -> b.append(String.format("\\u%04X", ch)));
    return b.toString();
  }
}
