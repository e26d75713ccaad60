package dev.f2p.core;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * One face-to-photo request as the host received it: the caller's credentials and address, a face image,
 * a prompt, and the model's edit parameters.
 *
 * <p>The builder takes whatever the caller sent; the constraints below are enforced by the pipeline
 * (Jakarta Bean Validation) before anything else runs, and a request that breaks one is refused with
 * {@link ReasonCode#INVALID_REQUEST}. Immutable and thread-safe: the builder copies the image bytes.
 */
public final class EditRequest {
  /** The most image bytes a request may carry at all; image policies usually set a lower limit. */
  public static final int MAX_IMAGE_BYTES = 32 * 1024 * 1024;
  /** The most characters a prompt (or negative prompt) may have before any filter runs. */
  public static final int MAX_PROMPT_CHARS = 4000;
  /** The smallest output width or height in pixels. */
  public static final int MIN_SIDE = 64;
  /** The largest output width or height in pixels a request may ask for; roles usually allow less. */
  public static final int MAX_SIDE = 4096;
  /** The most inference steps a request may ask for; roles usually allow less. */
  public static final int MAX_STEPS = 150;
  /** The output width and height when the request names none. */
  public static final int DEFAULT_SIDE = 512;
  /** The inference steps when the request names none. */
  public static final int DEFAULT_STEPS = 20;
  /** How closely the model follows the prompt when the request does not say (0 to 30). */
  public static final double DEFAULT_GUIDANCE_SCALE = 4.0;

  @NotNull
  @Size(max = 512)
  private final String apiKey;

  @NotBlank
  @Size(max = 64)
  private final String clientAddress;

  @NotBlank
  @Size(max = 128)
  @Pattern(regexp = "[A-Za-z0-9._:-]+")
  private final String requestId;

  @NotNull
  @Size(min = 1, max = MAX_IMAGE_BYTES)
  private final byte[] image;

  @NotBlank
  @Size(max = MAX_PROMPT_CHARS)
  private final String prompt;

  @NotNull
  @Size(max = MAX_PROMPT_CHARS)
  private final String negativePrompt;

  @Min(MIN_SIDE)
  @Max(MAX_SIDE)
  private final int width;

  @Min(MIN_SIDE)
  @Max(MAX_SIDE)
  private final int height;

  @Min(1)
  @Max(MAX_STEPS)
  private final int steps;

  @DecimalMin(value = "0.0", message = "must be between 0 and 30")
  @DecimalMax(value = "30.0", message = "must be between 0 and 30")
  private final double guidanceScale;

  @PositiveOrZero
  private final long seed;

  private EditRequest(Builder b) {
    this.apiKey = b.apiKey;
    this.clientAddress = b.clientAddress;
    this.requestId = b.requestId != null ? b.requestId : UUID.randomUUID().toString();
    this.image = b.image;
    this.prompt = b.prompt;
    this.negativePrompt = b.negativePrompt;
    this.width = b.width;
    this.height = b.height;
    this.steps = b.steps;
    this.guidanceScale = b.guidanceScale;
    this.seed = b.seed != null ? b.seed : ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
  }

  /** {@return a builder with the defaults; prompt, image, API key and client address must be set} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the API key exactly as presented; empty when none was. Never log it} */
  public String apiKey() {
    return apiKey;
  }

  /** {@return the caller's network address as the host saw it} */
  public String clientAddress() {
    return clientAddress;
  }

  /** {@return the request's id: the host's, or a random UUID} */
  public String requestId() {
    return requestId;
  }

  /** {@return a copy of the image bytes as received} */
  public byte[] image() {
    return image.clone();
  }

  /** {@return how many image bytes the request carries} */
  public int imageSize() {
    return image.length;
  }

  /** {@return the prompt: the edit the caller asks for} */
  public String prompt() {
    return prompt;
  }

  /** {@return the negative prompt; empty when none was given} */
  public String negativePrompt() {
    return negativePrompt;
  }

  /** {@return output width in pixels} */
  public int width() {
    return width;
  }

  /** {@return output height in pixels} */
  public int height() {
    return height;
  }

  /** {@return inference steps} */
  public int steps() {
    return steps;
  }

  /** {@return classifier-free guidance scale} */
  public double guidanceScale() {
    return guidanceScale;
  }

  /** {@return the noise seed: the caller's, or a random one. Same seed, same input, same device: same output} */
  public long seed() {
    return seed;
  }

  /** {@return a builder holding this request's values, to derive a variant} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.apiKey = apiKey;
    b.clientAddress = clientAddress;
    b.requestId = requestId;
    b.image = image;
    b.prompt = prompt;
    b.negativePrompt = negativePrompt;
    b.width = width;
    b.height = height;
    b.steps = steps;
    b.guidanceScale = guidanceScale;
    b.seed = seed;
    return b;
  }

  @Override
  public String toString() {
    // Never the key, the image or the prompt.
    return "EditRequest{id=" + requestId + ", address=" + clientAddress + ", image=" + image.length + " bytes, "
        + width + "x" + height + ", steps=" + steps + "}";
  }

  /**
   * Builds an {@link EditRequest}. Accepts any values (the pipeline judges them), but no nulls. Not
   * thread-safe.
   */
  public static final class Builder {
    private String apiKey = "";
    private String clientAddress = "";
    private @Nullable String requestId;
    private byte[] image = new byte[0];
    private String prompt = "";
    private String negativePrompt = "";
    private int width = DEFAULT_SIDE;
    private int height = DEFAULT_SIDE;
    private int steps = DEFAULT_STEPS;
    private double guidanceScale = DEFAULT_GUIDANCE_SCALE;
    private @Nullable Long seed;

    private Builder() {}

    /**
     * The API key as presented (empty when none was); required.
     *
     * @param apiKey the presented key, never logged
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /**
     * The caller's network address as the host saw it; required, the rate limits key on it.
     *
     * @param clientAddress an IP literal
     * @return this builder
     */
    public Builder clientAddress(String clientAddress) {
      this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
      return this;
    }

    /**
     * The host's id for the request, so its logs and ours join; a random UUID when unset.
     *
     * @param requestId letters, digits and {@code ._:-}, at most 128
     * @return this builder
     */
    public Builder requestId(String requestId) {
      this.requestId = Objects.requireNonNull(requestId, "requestId");
      return this;
    }

    /**
     * The uploaded image; copied, so later changes to the array do not reach the request.
     *
     * @param image the encoded image bytes
     * @return this builder
     */
    public Builder image(byte[] image) {
      this.image = Objects.requireNonNull(image, "image").clone();
      return this;
    }

    /**
     * The edit asked for; required.
     *
     * @param prompt the prompt text
     * @return this builder
     */
    public Builder prompt(String prompt) {
      this.prompt = Objects.requireNonNull(prompt, "prompt");
      return this;
    }

    /**
     * What the output should not show; empty by default. Filtered like the prompt.
     *
     * @param negativePrompt the negative prompt text
     * @return this builder
     */
    public Builder negativePrompt(String negativePrompt) {
      this.negativePrompt = Objects.requireNonNull(negativePrompt, "negativePrompt");
      return this;
    }

    /**
     * The output size; {@value EditRequest#DEFAULT_SIDE} square by default.
     *
     * @param width output width in pixels
     * @param height output height in pixels
     * @return this builder
     */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * Inference steps; {@value EditRequest#DEFAULT_STEPS} by default.
     *
     * @param steps the step count
     * @return this builder
     */
    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    /**
     * How closely the model follows the prompt, 0 to 30; {@value EditRequest#DEFAULT_GUIDANCE_SCALE} by default.
     *
     * @param guidanceScale the guidance scale
     * @return this builder
     */
    public Builder guidanceScale(double guidanceScale) {
      this.guidanceScale = guidanceScale;
      return this;
    }

    /**
     * The random seed, for a reproducible output; a random one when unset.
     *
     * @param seed a non-negative seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * {@return the request} Its values are validated by the client, which refuses a bad one as a typed rejection.
     */
    public EditRequest build() {
      return new EditRequest(this);
    }
  }
}
