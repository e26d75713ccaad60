package dev.f2p.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a request says before its body arrives: the credential, the caller's address, the request id and,
 * where the transport carries them in headers or the query, the output size and steps. It is all that
 * {@link ImageEditClient#admit(AdmissionRequest)} needs to authenticate, authorize, check lockdown and
 * blocks and take a rate-limit permit, so a refused caller costs no body read. Immutable and thread-safe.
 */
public final class AdmissionRequest {
  private final String apiKey;
  private final String clientAddress;
  private final String requestId;
  private final int width;
  private final int height;
  private final int steps;

  private AdmissionRequest(Builder b) {
    this.apiKey = b.apiKey;
    this.clientAddress = b.clientAddress;
    this.requestId = b.requestId != null ? b.requestId : UUID.randomUUID().toString();
    this.width = b.width;
    this.height = b.height;
    this.steps = b.steps;
  }

  /**
   * A request to admit with the usual parts.
   *
   * @param apiKey the credential as presented; empty when none was
   * @param clientAddress the caller's address, an IP literal
   * @param requestId the host's id for the request
   * @return the admission request, with no declared size or steps
   */
  public static AdmissionRequest of(String apiKey, String clientAddress, String requestId) {
    return builder().apiKey(apiKey).clientAddress(clientAddress).requestId(requestId).build();
  }

  /** @return a builder with no credential, no address and a random request id */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the credential exactly as presented; empty when none was. Never log it. */
  public String apiKey() {
    return apiKey;
  }

  /** @return the caller's address as the host saw it */
  public String clientAddress() {
    return clientAddress;
  }

  /** @return the request's id: the host's, or a random UUID */
  public String requestId() {
    return requestId;
  }

  /** @return the declared output width, if the transport told it before the body */
  public OptionalInt width() {
    return width > 0 ? OptionalInt.of(width) : OptionalInt.empty();
  }

  /** @return the declared output height, if the transport told it before the body */
  public OptionalInt height() {
    return height > 0 ? OptionalInt.of(height) : OptionalInt.empty();
  }

  /** @return the declared inference steps, if the transport told them before the body */
  public OptionalInt steps() {
    return steps > 0 ? OptionalInt.of(steps) : OptionalInt.empty();
  }

  /**
   * The request as the pipeline's stages see it before the body: the parts above, no image and no prompt,
   * an undeclared size or step count at its least ({@link EditRequest#MIN_SIDE}, one step), so admission
   * asks "may this caller edit at all" and the body's own values are authorized when it comes.
   */
  EditRequest shape() {
    return EditRequest.builder().apiKey(apiKey).clientAddress(clientAddress).requestId(requestId)
        .size(width().orElse(EditRequest.MIN_SIDE), height().orElse(EditRequest.MIN_SIDE))
        .steps(steps().orElse(1)).seed(0).build();
  }

  /** A request builder with these parts and the declared size and steps; the rest at the builder's defaults. */
  EditRequest.Builder toEditRequestBuilder() {
    EditRequest.Builder b = EditRequest.builder().apiKey(apiKey).clientAddress(clientAddress).requestId(requestId);
    if (width > 0) {
      b.size(width, height);
    }
    if (steps > 0) {
      b.steps(steps);
    }
    return b;
  }

  @Override
  public String toString() {
    // Never the key.
    return "AdmissionRequest{id=" + requestId + ", address=" + clientAddress
        + Optional.of(width).filter(w -> w > 0).map(w -> ", " + w + "x" + height).orElse("")
        + (steps > 0 ? ", steps=" + steps : "") + "}";
  }

  /** Builds an {@link AdmissionRequest}. Accepts any values (the pipeline judges them) but no nulls. Not thread-safe. */
  public static final class Builder {
    private String apiKey = "";
    private String clientAddress = "";
    private @Nullable String requestId;
    private int width;
    private int height;
    private int steps;

    private Builder() {}

    /**
     * @param apiKey the credential as presented; empty when none was
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /**
     * @param clientAddress the caller's address, an IP literal
     * @return this builder
     */
    public Builder clientAddress(String clientAddress) {
      this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
      return this;
    }

    /**
     * @param requestId the host's id for the request
     * @return this builder
     */
    public Builder requestId(String requestId) {
      this.requestId = Objects.requireNonNull(requestId, "requestId");
      return this;
    }

    /**
     * Declares the output size before the body, so authorization judges it at admission; a body that
     * then asks for another size is authorized again on what it asks.
     *
     * @param width output width in pixels
     * @param height output height in pixels
     * @return this builder
     */
    public Builder size(int width, int height) {
      this.width = declared("width", width);
      this.height = declared("height", height);
      return this;
    }

    /**
     * Declares the inference steps before the body.
     *
     * @param steps inference steps
     * @return this builder
     */
    public Builder steps(int steps) {
      this.steps = declared("steps", steps);
      return this;
    }

    private static int declared(String name, int value) {
      if (value < 1) {
        // Zero means "not declared" inside: a declared value must be positive (the pipeline judges the rest).
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    /** @return the admission request */
    public AdmissionRequest build() {
      return new AdmissionRequest(this);
    }
  }
}
