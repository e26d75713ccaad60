package dev.f2p.security.log;

import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.spi.SecurityEventListener;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The security log: one structured line per {@link SecurityEvent} on the logger {@value #LOGGER}
 * through SLF4J 2's key-value API, so a JSON encoder (logstash-logback-encoder, log4j's JSON layout)
 * writes each key as a field.
 *
 * <p>Keys: {@code time}, {@code requestId}, {@code principalId}, {@code keyId}, {@code address},
 * {@code stage}, {@code outcome}, {@code severity}, {@code reason}, {@code detail}, {@code latencyMs},
 * {@code imageFp}, {@code promptFp}, then the event's attributes under their own names ({@code attr.} is
 * put in front of one that clashes with a key above). Absent values are left out. Level by severity:
 * INFO, WARN, and ERROR for CRITICAL.
 *
 * <p>What it can never write: an event carries no API key (only its key id), no image (only its SHA-256
 * fingerprint) and no prompt (only its fingerprint), so neither does this log. There is no raw prompt to
 * opt into; the one option is whether the prompt <em>fingerprint</em> is written
 * ({@link Builder#logPromptFingerprints(boolean)}, on by default), because a fingerprint of a short,
 * guessable prompt can be confirmed by whoever guesses it.
 *
 * <p>Thread-safe and allocation-light; builds nothing when the level is off.
 */
public final class Slf4jSecurityEventListener implements SecurityEventListener {
  /** The logger name a host routes to its security log. */
  public static final String LOGGER = "f2p.security";
  /** The setting that lets a host run without a logging provider (warned on standard error). */
  public static final String REQUIRE_PROVIDER_SETTING = "f2p.listener.slf4j.require-provider";

  private static final Set<String> KEYS = Set.of("time", "requestId", "principalId", "keyId", "address", "stage",
      "outcome", "severity", "reason", "detail", "latencyMs", "imageFp", "promptFp");

  private final Logger logger;
  private final boolean logPromptFingerprints;

  private Slf4jSecurityEventListener(Builder b) {
    this.logger = b.logger;
    this.logPromptFingerprints = b.logPromptFingerprints;
  }

  /**
   * A listener on {@value #LOGGER} with prompt fingerprints on.
   *
   * @return the listener
   * @throws F2pConfigurationException when SLF4J has no logging provider (see {@link Builder#build()})
   */
  public static Slf4jSecurityEventListener create() {
    return builder().build();
  }

  /**
   * A builder holding the defaults: logger {@value #LOGGER}, prompt fingerprints on, a logging provider
   * required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onEvent(SecurityEvent e) {
    Level level = level(e.severity());
    if (!logger.isEnabledForLevel(level)) {
      return;
    }
    LoggingEventBuilder b = logger.atLevel(level)
        .addKeyValue("time", e.timestamp().toString())
        .addKeyValue("stage", e.stage().name())
        .addKeyValue("outcome", e.outcome().name())
        .addKeyValue("severity", e.severity().name());
    // SLF4J's builder may return a new builder from each call (its contract): always carry the result on.
    b = put(b, "requestId", e.requestId());
    b = put(b, "principalId", e.principalId());
    b = put(b, "keyId", e.keyId());
    b = put(b, "address", e.clientAddress());
    b = put(b, "reason", e.reason().map(Enum::name));
    b = put(b, "detail", e.detail());
    b = b.addKeyValue("latencyMs", e.latency().toNanos() / 1_000_000.0);
    b = put(b, "imageFp", e.imageFingerprint());
    if (logPromptFingerprints) {
      b = put(b, "promptFp", e.promptFingerprint());
    }
    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
      b = b.addKeyValue(KEYS.contains(a.getKey()) ? "attr." + a.getKey() : a.getKey(), a.getValue());
    }
    b.setMessage(message(e)).log();
  }

  private static LoggingEventBuilder put(LoggingEventBuilder b, String key, Optional<String> value) {
    return value.isPresent() ? b.addKeyValue(key, value.get()) : b;
  }

  private static String message(SecurityEvent e) {
    String base = "security " + e.stage() + " " + e.outcome();
    return e.reason().map(r -> base + " " + r + e.detail().map(d -> "/" + d).orElse("")).orElse(base);
  }

  static Level level(Severity severity) {
    return switch (severity) {
      case INFO -> Level.INFO;
      case WARN -> Level.WARN;
      case CRITICAL -> Level.ERROR;
    };
  }

  /** Builds a {@link Slf4jSecurityEventListener}. Not thread-safe. */
  public static final class Builder {
    private Logger logger = LoggerFactory.getLogger(LOGGER);
    private boolean logPromptFingerprints = true;
    private boolean requireProvider = true;
    private java.io.PrintStream warnings = System.err;

    private Builder() {}

    /**
     * Whether {@link #build()} fails when SLF4J has no logging provider on the class path (it would then
     * discard every security event after one line on standard error); default {@code true}. A host that
     * knows it (a test, a tool) sets {@code false}: the listener is then built, with a warning on standard
     * error. Setting {@code f2p.listener.slf4j.require-provider}.
     *
     * @param require whether a missing provider fails the build
     * @return this builder
     */
    public Builder requireProvider(boolean require) {
      this.requireProvider = require;
      return this;
    }

    /** Where the missing-provider warning goes; a test seam, default standard error. */
    Builder warnings(java.io.PrintStream warnings) {
      this.warnings = Objects.requireNonNull(warnings, "warnings");
      return this;
    }

    /**
     * Another logger name, for a host that routes security logs by its own scheme; default {@value #LOGGER}.
     *
     * @param name the logger name, not blank
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder loggerName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("logger name must not be blank");
      }
      this.logger = LoggerFactory.getLogger(name);
      return this;
    }

    /**
     * Whether prompt fingerprints are written (never prompts: events have none); default true. Turn them
     * off where the log is read by people who could confirm a guessed short prompt against them.
     *
     * @param log false to leave the {@code promptFp} key out
     * @return this builder
     */
    public Builder logPromptFingerprints(boolean log) {
      this.logPromptFingerprints = log;
      return this;
    }

    /**
     * Builds the listener.
     *
     * @return the listener
     * @throws F2pConfigurationException when SLF4J has no logging provider and {@link #requireProvider} is
     *     not {@code false}: the security log would vanish silently
     */
    public Slf4jSecurityEventListener build() {
      if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
        String problem = "SLF4J has no logging provider on the class path, so the security log (logger "
            + logger.getName() + ") would be discarded; add one, for example ch.qos.logback:logback-classic";
        if (requireProvider) {
          throw new F2pConfigurationException(REQUIRE_PROVIDER_SETTING, problem + ", or set "
              + REQUIRE_PROVIDER_SETTING + "=false (requireProvider(false)) to run without a security log");
        }
        warnings.println("F2P Guard WARNING: " + problem + " (" + REQUIRE_PROVIDER_SETTING + "=false)");
      }
      return new Slf4jSecurityEventListener(this);
    }
  }
}
