package dev.f2p.security.incident;

import dev.f2p.core.Confidence;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.spi.PolicySettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An automatic containment rule: when one principal (or one address) collects {@code count} refusals
 * with {@code reason} (and, if given, {@code detail}) within {@code window}, restrict it for
 * {@code duration}. Written as
 *
 * <pre>{@code
 * PROMPT_REJECTED by principal 5/10m -> suspend 1h
 * UNAUTHENTICATED by address 50/1m -> block 15m
 * IMAGE_REJECTED/HASH_LISTED by principal 1/1m -> suspend 1d
 * }</pre>
 *
 * ({@code suspend} and {@code block} mean the same). Only {@link Confidence#HIGH} refusals count, so that
 * a prompt refused on one ambiguous word never suspends anyone; a rule ending in {@code including low}
 * counts {@link Confidence#LOW} refusals too. Immutable.
 *
 * @param name the rule's name, put into the events it fires
 * @param reason the refusal counted
 * @param detail the refusal's detail code counted; empty for any
 * @param by whom the refusals are counted against: {@link IncidentTarget#PRINCIPAL} or {@link IncidentTarget#ADDRESS}
 * @param count how many refusals fire the rule, 1 to {@value #MAX_COUNT}
 * @param window within how long
 * @param duration how long the restriction lasts
 * @param countsLow whether {@link Confidence#LOW} refusals count too
 */
public record ContainmentRule(String name, ReasonCode reason, Optional<String> detail, IncidentTarget by, int count,
    Duration window, Duration duration, boolean countsLow) {
  // Before the constants below, which parse with it.
  private static final Pattern SYNTAX = Pattern.compile(
      "([A-Z_]+)(?:/([A-Z][A-Z0-9_]{0,63}))?\\s+by\\s+(principal|address)\\s+(\\d{1,9})\\s*/\\s*(\\S+)"
          + "\\s*->\\s*(?:suspend|block)\\s+(\\S+)(\\s+including\\s+low)?");

  /** Bounds the timestamps one subject's window keeps. */
  public static final int MAX_COUNT = 10_000;

  /** Five prompt refusals by one principal within ten minutes suspend it for an hour. */
  public static final ContainmentRule PROMPT_ABUSE =
      parse("prompt-abuse", "PROMPT_REJECTED by principal 5/10m -> suspend 1h");
  /**
   * Three outputs refused for explicit content (detail {@code NSFW_CONTENT}, from f2p-moderation's classifier,
   * always a high-confidence refusal) for one principal within an hour suspend it for a day.
   */
  public static final ContainmentRule EXPLICIT_OUTPUT =
      parse("explicit-output", "OUTPUT_REJECTED/NSFW_CONTENT by principal 3/1h -> suspend 1d");
  /** Fifty authentication failures from one address within a minute block it for fifteen minutes. */
  public static final ContainmentRule CREDENTIAL_STUFFING =
      parse("credential-stuffing", "UNAUTHENTICATED by address 50/1m -> block 15m");

  /**
   * A rule that counts only {@link Confidence#HIGH} refusals.
   *
   * @param name the rule's name
   * @param reason the refusal counted
   * @param detail the detail counted; empty for any
   * @param by whom the refusals are counted against
   * @param count how many refusals fire the rule
   * @param window within how long
   * @param duration how long the restriction lasts
   */
  public ContainmentRule(String name, ReasonCode reason, Optional<String> detail, IncidentTarget by, int count,
      Duration window, Duration duration) {
    this(name, reason, detail, by, count, window, duration, false);
  }

  /**
   * Whether a refusal of this confidence counts towards this rule.
   *
   * @param confidence the refusal's confidence
   * @return true for {@code HIGH}, and for {@code LOW} when the rule says {@code including low}
   */
  public boolean counts(Confidence confidence) {
    return confidence == Confidence.HIGH || countsLow;
  }

  /**
   * Checks the components.
   *
   * @param name the rule's name, put into the events it fires
   * @param reason the refusal counted
   * @param detail the refusal's detail code counted; empty for any
   * @param by {@link IncidentTarget#PRINCIPAL} or {@link IncidentTarget#ADDRESS}
   * @param count how many refusals fire the rule, 1 to {@value #MAX_COUNT}
   * @param window within how long; positive
   * @param duration how long the restriction lasts; positive
   * @param countsLow whether {@link Confidence#LOW} refusals count too
   * @throws IllegalArgumentException naming the rule when {@code by} is {@link IncidentTarget#KEY} (keys
   *     are revoked by hand, never counted), {@code count} is out of range, or {@code window} or
   *     {@code duration} is not positive
   */
  public ContainmentRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(duration, "duration");
    if (by == IncidentTarget.KEY) {
      throw new IllegalArgumentException("rule " + name + ": count by principal or address, not by key");
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("rule " + name + ": count must be 1.." + MAX_COUNT + ": " + count);
    }
    if (window.isZero() || window.isNegative() || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("rule " + name + ": window and duration must be positive");
    }
  }

  /**
   * Parses the rule syntax above (durations as {@link PolicySettings#parseDuration} reads them:
   * {@code 10m}, {@code 1h}, {@code 1d}).
   *
   * @param name the rule's name, put into its events and into any error message
   * @param text the rule, such as {@code PROMPT_REJECTED by principal 5/10m -> suspend 1h}; surrounding
   *     white space is ignored
   * @return the rule
   * @throws IllegalArgumentException naming the rule and the text when the text does not follow the
   *     syntax, names an unknown {@link ReasonCode}, or its values are out of range
   */
  public static ContainmentRule parse(String name, String text) {
    Matcher m = SYNTAX.matcher(Objects.requireNonNull(text, "text").trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("rule " + name + " must look like "
          + "'PROMPT_REJECTED by principal 5/10m -> suspend 1h': " + text);
    }
    ReasonCode reason;
    try {
      reason = ReasonCode.valueOf(m.group(1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rule " + name + ": unknown reason " + m.group(1), e);
    }
    return new ContainmentRule(name, reason, Optional.ofNullable(m.group(2)),
        IncidentTarget.valueOf(m.group(3).toUpperCase(Locale.ROOT)), Integer.parseInt(m.group(4)),
        PolicySettings.parseDuration("rule " + name + " window", m.group(5)),
        PolicySettings.parseDuration("rule " + name + " duration", m.group(6)), m.group(7) != null);
  }
}
