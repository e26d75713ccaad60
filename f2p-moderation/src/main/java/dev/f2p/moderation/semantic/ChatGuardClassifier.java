package dev.f2p.moderation.semantic;

import dev.f2p.core.Principal;
import dev.f2p.security.prompt.ModerationClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ModerationClassifier} asking a safety model served behind an OpenAI-compatible chat-completions
 * endpoint (vLLM, SGLang, TGI and the like), in the model's own format:
 * <ul>
 *   <li>{@link Format#QWEN3_GUARD} (Qwen3Guard-Gen): the prompt as the user message, which the model's chat
 *       template wraps in its moderation instruction; the answer
 *       {@code Safety: Safe|Unsafe|Controversial} and {@code Categories: ...} (Violent, Non-violent Illegal
 *       Acts, Sexual Content or Sexual Acts, PII, Suicide &amp; Self-Harm, Unethical Acts, Politically Sensitive
 *       Topics, Copyright Violation, Jailbreak, None);
 *   <li>{@link Format#LLAMA_GUARD_4} (Llama Guard 4): the prompt as a user message of text parts, which the
 *       chat template wraps in the MLCommons hazard list; the answer {@code safe}, or {@code unsafe} and a
 *       line such as {@code S1,S10}.
 * </ul>
 * Categories map to ours: child sexual exploitation (S4) to {@code SEXUAL_MINORS}; sexual content (S3, S12,
 * Sexual Content or Sexual Acts) to {@code NON_CONSENSUAL} (the input is a real person's face);
 * defamation and elections (S5, S13) to {@code IMPERSONATION}; PII to {@code IDENTITY_DOCUMENT}; self-harm
 * to {@code SELF_HARM}; violent crimes, weapons and Violent to {@code VIOLENCE}; hate (S10) to {@code HATE};
 * anything else to {@code MODERATION_FLAGGED}. A {@code Controversial} verdict refuses unless
 * {@link Builder#allowControversial()}.
 *
 * <p>Fails closed: a slow, failed, oversized or malformed answer throws {@link ModerationException}, which
 * the prompt filter turns into a refusal. The prompt goes to the service the host configured and nowhere
 * else; it is never logged, nor is the answer. The key, if any, is read from an environment variable when
 * built. Thread-safe; build one and share it.
 */
public final class ChatGuardClassifier implements ModerationClassifier {
  /** The safety model's prompt and answer format. */
  public enum Format {
    /** Qwen3Guard-Gen. */
    QWEN3_GUARD,
    /** Llama Guard 4. */
    LLAMA_GUARD_4
  }

  /** Time for the whole exchange by default: 2 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Endpoint.DEFAULT_TIMEOUT;
  /** Most bytes of an answer read by default: {@value}. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = Endpoint.DEFAULT_MAX_RESPONSE_BYTES;

  private static final Map<String, String> QWEN = Map.of(
      "violent", "VIOLENCE", "sexual content or sexual acts", "NON_CONSENSUAL", "pii", "IDENTITY_DOCUMENT",
      "suicide & self-harm", "SELF_HARM");
  private static final Map<String, String> LLAMA = Map.of(
      "S1", "VIOLENCE", "S3", "NON_CONSENSUAL", "S4", "SEXUAL_MINORS", "S5", "IMPERSONATION",
      "S9", "VIOLENCE", "S10", "HATE", "S11", "SELF_HARM", "S12", "NON_CONSENSUAL", "S13", "IMPERSONATION");

  private final ServiceCall call;
  private final String model;
  private final Format format;
  private final boolean allowControversial;

  private ChatGuardClassifier(Builder b, ServiceCall call) {
    this.call = call;
    this.model = Objects.requireNonNull(b.model, "checked by build()");
    this.format = Objects.requireNonNull(b.format, "checked by build()");
    this.allowControversial = b.allowControversial;
  }

  /**
   * A builder; the endpoint, model and format are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<String> classify(String prompt, Principal principal) throws ModerationException, InterruptedException {
    Objects.requireNonNull(prompt, "prompt");
    String content = Json.at(call.post(request(prompt)), String.class, "choices", 0, "message", "content");
    return format == Format.QWEN3_GUARD ? qwen(content, allowControversial) : llama(content);
  }

  /** The chat request, in the model's documented message form. */
  String request(String prompt) {
    String message = format == Format.LLAMA_GUARD_4
        ? "[{\"type\":\"text\",\"text\":" + Json.quote(prompt) + "}]"
        : Json.quote(prompt);
    return "{\"model\":" + Json.quote(model) + ",\"messages\":[{\"role\":\"user\",\"content\":" + message
        + "}],\"temperature\":0,\"max_tokens\":32,\"stream\":false}";
  }

  /** Parses a Qwen3Guard-Gen answer. */
  static Optional<String> qwen(String content, boolean allowControversial) throws ModerationException {
    String safety = null;
    List<String> found = new ArrayList<>();
    for (String line : content.split("\n")) {
      String l = line.strip();
      if (l.regionMatches(true, 0, "Safety:", 0, 7)) {
        safety = l.substring(7).strip().toLowerCase(Locale.ROOT);
      } else if (l.regionMatches(true, 0, "Categories:", 0, 11)) {
        for (String c : l.substring(11).split(",")) {
          String ours = QWEN.get(c.strip().toLowerCase(Locale.ROOT));
          if (ours != null) {
            found.add(ours);
          }
        }
      }
    }
    if (safety == null) {
      throw new ModerationException("unexpected answer: no Safety line");
    }
    switch (safety) {
      case "safe":
        return Optional.empty();
      case "controversial":
        return allowControversial ? Optional.empty() : Optional.of(Categories.worst(found));
      case "unsafe":
        return Optional.of(Categories.worst(found));
      default:
        throw new ModerationException("unexpected answer: unknown safety level");
    }
  }

  /** Parses a Llama Guard 4 answer. */
  static Optional<String> llama(String content) throws ModerationException {
    String[] lines = content.strip().split("\\s*\n\\s*");
    String verdict = lines[0].strip().toLowerCase(Locale.ROOT);
    if (verdict.equals("safe")) {
      return Optional.empty();
    }
    if (!verdict.equals("unsafe")) {
      throw new ModerationException("unexpected answer: neither safe nor unsafe");
    }
    List<String> found = new ArrayList<>();
    if (lines.length > 1) {
      for (String code : lines[1].split(",")) {
        String ours = LLAMA.get(code.strip().toUpperCase(Locale.ROOT));
        if (ours != null) {
          found.add(ours);
        }
      }
    }
    return Optional.of(Categories.worst(found));
  }

  @Override
  public String toString() {
    return "ChatGuardClassifier{" + format + ", model=" + model + "}";
  }

  /** Builds a {@link ChatGuardClassifier}. Not thread-safe. */
  public static final class Builder extends ServiceBuilder<Builder> {
    private @Nullable String model;
    private @Nullable Format format;
    private boolean allowControversial;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * The model name the server knows, such as {@code Qwen/Qwen3Guard-Gen-4B}.
     *
     * @param model the name
     * @return this builder
     */
    public Builder model(String model) {
      this.model = checkModel(model);
      return this;
    }

    /**
     * The model's format.
     *
     * @param format Qwen3Guard-Gen or Llama Guard 4
     * @return this builder
     */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Lets Qwen3Guard's {@code Controversial} verdict through (refused by default).
     *
     * @return this builder
     */
    public Builder allowControversial() {
      this.allowControversial = true;
      return this;
    }

    /**
     * Checks the options and reads the key.
     *
     * @return the classifier
     */
    public ChatGuardClassifier build() {
      if (model == null || format == null) {
        throw new IllegalStateException("model and format are required");
      }
      return new ChatGuardClassifier(this, endpoint.call("chat/completions"));
    }
  }
}
