package dev.f2p.moderation.semantic;

import dev.f2p.core.Principal;
import dev.f2p.security.prompt.ModerationClassifier;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ModerationClassifier} on the OpenAI moderation API ({@code POST /v1/moderations}, model
 * {@code omni-moderation-latest} by default), for text and, through {@link #classifyImage}, images. The
 * answer's {@code results[0].flagged} decides; its {@code categories} map to ours: {@code sexual/minors}
 * to {@code SEXUAL_MINORS}, {@code sexual} to {@code NON_CONSENSUAL}, {@code self-harm*} to
 * {@code SELF_HARM}, {@code violence*} and {@code illicit/violent} to {@code VIOLENCE}, {@code hate*} and
 * {@code harassment/threatening} to {@code HATE}, anything else flagged to {@code MODERATION_FLAGGED}.
 *
 * <p>Fails closed: a slow, failed, oversized or malformed answer throws {@link ModerationException}. The
 * key is read from an environment variable ({@value #DEFAULT_KEY_VARIABLE} by default) when built; the
 * prompt and the answer are never logged. Thread-safe; build one and share it.
 */
public final class OpenAiModerationClassifier implements ModerationClassifier {
  /** The API's base URL: {@value}. */
  public static final String DEFAULT_ENDPOINT = "https://api.openai.com/v1";
  /** The model asked by default: {@value}. */
  public static final String DEFAULT_MODEL = "omni-moderation-latest";
  /** The environment variable holding the key by default: {@value}. */
  public static final String DEFAULT_KEY_VARIABLE = "OPENAI_API_KEY";
  /** Most image bytes sent: {@value} (the service's own limit is larger; a face photo is far smaller). */
  public static final int MAX_IMAGE_BYTES = 8 * 1024 * 1024;

  private static final Pattern MEDIA_TYPE = Pattern.compile("image/(png|jpeg|webp|gif)");
  private static final Map<String, String> CATEGORIES = Map.ofEntries(
      Map.entry("sexual/minors", "SEXUAL_MINORS"), Map.entry("sexual", "NON_CONSENSUAL"),
      Map.entry("self-harm", "SELF_HARM"), Map.entry("self-harm/intent", "SELF_HARM"),
      Map.entry("self-harm/instructions", "SELF_HARM"), Map.entry("violence", "VIOLENCE"),
      Map.entry("violence/graphic", "VIOLENCE"), Map.entry("illicit/violent", "VIOLENCE"),
      Map.entry("hate", "HATE"), Map.entry("hate/threatening", "HATE"),
      Map.entry("harassment/threatening", "HATE"));

  private final ServiceCall call;
  private final String model;

  private OpenAiModerationClassifier(ServiceCall call, String model) {
    this.call = call;
    this.model = model;
  }

  /**
   * A builder with the defaults: the OpenAI endpoint, {@value #DEFAULT_MODEL}, the key in
   * {@value #DEFAULT_KEY_VARIABLE}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<String> classify(String prompt, Principal principal) throws ModerationException, InterruptedException {
    Objects.requireNonNull(prompt, "prompt");
    return verdict(call.post(request(List.of("{\"type\":\"text\",\"text\":" + Json.quote(prompt) + "}"))));
  }

  /**
   * Classifies an image, optionally with the text that goes with it.
   *
   * @param image the encoded image, at most {@value #MAX_IMAGE_BYTES} bytes
   * @param mediaType {@code image/png}, {@code image/jpeg}, {@code image/webp} or {@code image/gif}
   * @param text text to classify with it; empty for none
   * @return the category, or empty when acceptable
   * @throws ModerationException when the service gives no verdict
   * @throws InterruptedException when interrupted while waiting
   */
  public Optional<String> classifyImage(byte[] image, String mediaType, String text)
      throws ModerationException, InterruptedException {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(text, "text");
    if (!MEDIA_TYPE.matcher(Objects.requireNonNull(mediaType, "mediaType")).matches()) {
      throw new IllegalArgumentException("mediaType must be image/png, image/jpeg, image/webp or image/gif: " + mediaType);
    }
    if (image.length == 0 || image.length > MAX_IMAGE_BYTES) {
      throw new IllegalArgumentException("image must be 1.." + MAX_IMAGE_BYTES + " bytes: " + image.length);
    }
    List<String> inputs = new ArrayList<>();
    if (!text.isEmpty()) {
      inputs.add("{\"type\":\"text\",\"text\":" + Json.quote(text) + "}");
    }
    inputs.add("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:" + mediaType + ";base64,"
        + Base64.getEncoder().encodeToString(image) + "\"}}");
    return verdict(call.post(request(inputs)));
  }

  String request(List<String> inputs) {
    return "{\"model\":" + Json.quote(model) + ",\"input\":[" + String.join(",", inputs) + "]}";
  }

  static Optional<String> verdict(@Nullable Object answer) throws ModerationException {
    if (!Json.at(answer, Boolean.class, "results", 0, "flagged")) {
      return Optional.empty();
    }
    Map<?, ?> categories = Json.at(answer, Map.class, "results", 0, "categories");
    List<String> found = new ArrayList<>();
    for (Map.Entry<?, ?> e : categories.entrySet()) {
      String ours = CATEGORIES.get(String.valueOf(e.getKey()));
      if (ours != null && Boolean.TRUE.equals(e.getValue())) {
        found.add(ours);
      }
    }
    return Optional.of(Categories.worst(found));
  }

  @Override
  public String toString() {
    return "OpenAiModerationClassifier{model=" + model + "}";
  }

  /** Builds an {@link OpenAiModerationClassifier}. Not thread-safe. */
  public static final class Builder extends ServiceBuilder<Builder> {
    private String model = DEFAULT_MODEL;

    @Override
    Builder self() {
      return this;
    }

    private Builder() {
      endpoint.base(URI.create(DEFAULT_ENDPOINT));
      endpoint.keyVariable(DEFAULT_KEY_VARIABLE);
      endpoint.keyRequired = true;
    }

    /**
     * Another model; default {@value OpenAiModerationClassifier#DEFAULT_MODEL}.
     *
     * @param model the model's name
     * @return this builder
     */
    public Builder model(String model) {
      this.model = checkModel(model);
      return this;
    }

    /**
     * Checks the options and reads the key; fails when the key's variable is empty.
     *
     * @return the classifier
     */
    public OpenAiModerationClassifier build() {
      return new OpenAiModerationClassifier(endpoint.call("moderations"), model);
    }
  }
}
