package dev.f2p.security.ratelimit;

import dev.f2p.core.spi.PolicySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One limit as people write it: {@code limit} requests per {@code window}, such as {@code 10/minute}.
 * The bucket holds {@code limit} tokens and refills them evenly over the window (greedy refill), so
 * bursts are allowed up to the limit and the long-run rate never exceeds it. Immutable.
 *
 * @param limit how many requests a window allows, at least 1
 * @param window the window's length, at least one millisecond
 */
public record RateLimit(long limit, Duration window) {
  /**
   * Checks both parts.
   *
   * @param limit how many requests a window allows, at least 1
   * @param window the window's length, at least one millisecond
   * @throws IllegalArgumentException when the limit is below 1 or the window shorter than 1 ms
   */
  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("window must be at least 1ms: " + window);
    }
  }

  /**
   * Parses {@code N/unit} with unit {@code second}, {@code minute}, {@code hour} or {@code day} (also
   * {@code s}, {@code m}/{@code min}, {@code h}, {@code d}, plurals), or {@code N/<duration>} such as
   * {@code 5/30s}.
   *
   * @param text the limit as written in a setting; spaces around the parts are ignored
   * @return the limit
   * @throws IllegalArgumentException when the text is malformed (the message quotes it), the number is
   *     below 1 or the window shorter than 1 ms
   */
  public static RateLimit parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    if (slash <= 0 || slash == t.length() - 1) {
      throw new IllegalArgumentException("rate limit must look like 10/minute: " + text);
    }
    long limit;
    try {
      limit = Long.parseLong(t.substring(0, slash).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rate limit must start with a whole number: " + text, e);
    }
    String unit = t.substring(slash + 1).trim().toLowerCase(Locale.ROOT);
    Duration window = switch (unit) {
      case "second", "seconds", "sec", "s" -> Duration.ofSeconds(1);
      case "minute", "minutes", "min", "m" -> Duration.ofMinutes(1);
      case "hour", "hours", "h" -> Duration.ofHours(1);
      case "day", "days", "d" -> Duration.ofDays(1);
      default -> PolicySettings.parseDuration("rate limit " + text, unit);
    };
    return new RateLimit(limit, window);
  }

  /**
   * Parses several limits that apply at once, separated by {@code ;}: {@code 100/hour;1000/day}. A
   * request needs a token from every one of them.
   *
   * @param text the limits; empty parts are skipped
   * @return an immutable list of at least one limit, in the order written
   * @throws IllegalArgumentException when a part is malformed or there is no limit at all
   */
  public static List<RateLimit> parseAll(String text) {
    List<RateLimit> out = new ArrayList<>();
    for (String part : text.split(";")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no rate limit in: " + text);
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return limit + "/" + window;
  }
}
