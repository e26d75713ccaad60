package dev.f2p.security.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * What this module's builders share: argument checks whose message carries the bad value, and options
 * that may be set only once. Internal: not part of the API. Not thread-safe, like the builders using it.
 */
public final class BuilderOptions {
  private final Set<String> set = new HashSet<>();

  /** Fails when {@code option} was set before on this builder. */
  public void once(String option) {
    if (!set.add(option)) {
      throw new IllegalStateException(option + " was already set");
    }
  }

  /** Whether {@code option} was set on this builder. */
  public boolean wasSet(String option) {
    return set.contains(option);
  }

  /** Fails with {@code message}, which should name the option and the bad value, unless {@code ok}. */
  public static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
