package dev.f2p.security.internal;

import dev.f2p.core.spi.PolicySettings;
import java.util.Locale;

/** Setting values this module's providers parse alike. Internal: not part of the API. Stateless. */
public final class SettingValues {
  private SettingValues() {}

  /**
   * Bytes with an optional binary suffix: {@code 512m}, {@code 2g}.
   *
   * @param settings the settings the value came from, to name it in an error
   * @param name the setting's name within {@code settings}
   * @param value the value
   * @return the bytes
   * @throws IllegalArgumentException naming the setting, when the value is not bytes
   */
  public static long bytes(PolicySettings settings, String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
    switch (last) {
      case 'k' -> unit = 1L << 10;
      case 'm' -> unit = 1L << 20;
      case 'g' -> unit = 1L << 30;
      default -> { }
    }
    String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
    try {
      return Math.multiplyExact(Long.parseLong(digits.trim()), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(settings.fullName(name) + " must be bytes such as 512m or 2g: " + value, e);
    }
  }
}
