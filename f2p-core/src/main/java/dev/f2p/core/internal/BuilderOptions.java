package dev.f2p.core.internal;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The one set-once and require helper every builder of the library uses: options that may be set only
 * once (setting one twice is an error, never a silent override) and argument checks whose message carries
 * the bad value. Internal: exported only to the library's own modules. Not thread-safe, like the builders
 * using it.
 */
public final class BuilderOptions {
  private final Set<String> set = new HashSet<>();

  /**
   * Fails when {@code option} was set before on this builder.
   *
   * @param option the option's name, as the message should show it ({@code "maxBytes"}, {@code "limits for role TRIAL"})
   * @throws IllegalStateException when it was set before
   */
  public void once(String option) {
    if (!set.add(option)) {
      throw new IllegalStateException(option + " was already set");
    }
  }

  /**
   * {@link #once(String)} for an option that takes an object, which must not be null.
   *
   * @param <T> the option's type
   * @param option the option's name
   * @param value the value being set
   * @return {@code value}
   * @throws IllegalStateException when it was set before
   * @throws NullPointerException when {@code value} is null
   */
  public <T> T once(String option, T value) {
    Objects.requireNonNull(value, option);
    once(option);
    return value;
  }

  /**
   * Whether {@code option} was set on this builder.
   *
   * @param option the option's name
   * @return true once it was set
   */
  public boolean isSet(String option) {
    return set.contains(option);
  }

  /**
   * Fails with {@code message}, which should name the option and the bad value, unless {@code ok}.
   *
   * @param ok whether the value is acceptable
   * @param message names the option and the bad value
   * @throws IllegalArgumentException unless {@code ok}
   */
  public static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
