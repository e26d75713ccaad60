package dev.f2p.security.prompt;

import com.ibm.icu.text.Normalizer;
import com.ibm.icu.text.Normalizer2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An ICU normalization form with a table for the common case. Where every character of a string is
 * either normal and a starter (quick check yes, combining class 0), or has a mapping and a normalization
 * boundary on both sides (so that it is normalized alone), the table gives ICU's result exactly; anything
 * else (combining marks, jamo, supplementary characters) is left to ICU. A fullwidth comma in Chinese
 * text then costs one look-up where ICU composed all the text after it, and normal text is not checked
 * twice: ICU's quick check and copy were a fifth of a mixed-script prompt's cost.
 *
 * <p>The table is built once per JVM, in a class initialiser; afterwards read-only and thread-safe.
 */
final class NormalForm {
  /** NFKC, for the cleaned prompt. */
  static final NormalForm NFKC = new NormalForm(Normalizer2.getNFKCInstance());
  /** NFKC_Casefold, for matching. */
  static final NormalForm NFKC_CF = new NormalForm(Normalizer2.getNFKCCasefoldInstance());

  private static final byte YES = 1;
  private static final byte MAPPED = 2;
  private static final byte BOUNDARY_BEFORE = 4;
  private static final byte BOUNDARY_AFTER = 8;

  private final Normalizer2 icu;
  private final byte[] flags = new byte[0x10000];
  /** The characters with a mapping, sorted, and what they normalize to. */
  private final char[] keys;
  private final String[] values;

  private NormalForm(Normalizer2 icu) {
    this.icu = icu;
    StringBuilder mapped = new StringBuilder();
    List<String> to = new ArrayList<>();
    for (int c = 0; c < 0x10000; c++) {
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        continue; // a pair is a supplementary character with its own mapping: ICU's
      }
      String one = String.valueOf((char) c);
      int f = (icu.hasBoundaryBefore(c) ? BOUNDARY_BEFORE : 0) | (icu.hasBoundaryAfter(c) ? BOUNDARY_AFTER : 0);
      if (icu.quickCheck(one) == Normalizer.YES && icu.getCombiningClass(c) == 0) {
        f |= YES;
      } else {
        String normal = icu.normalize(one);
        if (!normal.equals(one)) {
          f |= MAPPED;
          mapped.append((char) c);
          to.add(normal);
        }
      }
      flags[c] = (byte) f;
    }
    keys = mapped.toString().toCharArray();
    values = to.toArray(new String[0]);
  }

  /** ICU's normalization of {@code s}; {@code s} itself when it is already normal. */
  String normalize(String s) {
    String t = byTable(s);
    return t != null ? t : icu.normalize(s);
  }

  /** The normalization where the table gives it exactly (see the class comment), else {@code null}. */
  @Nullable String byTable(String s) {
    int n = s.length();
    char[] out = null;
    int len = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      byte f = flags[c];
      if ((f & YES) != 0) {
        if (out != null) {
          out[len++] = c; // room was made for the rest at the last mapping
        }
        continue;
      }
      if ((f & MAPPED) == 0
          || (f & BOUNDARY_BEFORE) == 0 && i > 0 && (flags[s.charAt(i - 1)] & BOUNDARY_AFTER) == 0
          || (f & BOUNDARY_AFTER) == 0 && i + 1 < n && (flags[s.charAt(i + 1)] & BOUNDARY_BEFORE) == 0) {
        return null;
      }
      if (out == null) {
        out = new char[n + 16];
        s.getChars(0, i, out, 0);
        len = i;
      }
      String m = values[Arrays.binarySearch(keys, c)];
      if (len + m.length() + n - i > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, len + m.length() + n - i));
      }
      m.getChars(0, m.length(), out, len);
      len += m.length();
    }
    return out == null ? s : new String(out, 0, len);
  }
}
