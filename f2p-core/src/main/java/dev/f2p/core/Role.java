package dev.f2p.core;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named role a {@link Principal} holds. {@link #ADMIN}, {@link #USER} and {@link #TRIAL} exist out of
 * the box; a host defines more with {@link #of(String)}. What a role may do is the authorizer's
 * configuration, not the role's. Names are upper-case letters, digits, {@code _} and {@code -}.
 *
 * @param name the role's name, upper case
 */
public record Role(String name) {
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_-]{0,63}");

  /** Operators: admin actions, and edits at any size. */
  public static final Role ADMIN = new Role("ADMIN");
  /** Regular callers. */
  public static final Role USER = new Role("USER");
  /** Evaluation keys: small outputs, few steps, tight quotas. */
  public static final Role TRIAL = new Role("TRIAL");

  /**
   * The name must match {@code [A-Z][A-Z0-9_-]*}, at most 64 characters.
   *
   * @param name the role's name, upper case
   */
  public Role {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("role name must match [A-Z][A-Z0-9_-]{0,63}: " + name);
    }
  }

  /**
   * {@return the role with this name, upper-cased}
   *
   * @param name the role's name, in any case
   */
  public static Role of(String name) {
    return new Role(Objects.requireNonNull(name, "name").trim().toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return name;
  }
}
