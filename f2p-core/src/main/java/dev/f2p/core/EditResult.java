package dev.f2p.core;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a request ended: {@link Success} with the output image, or {@link Rejected} with a
 * {@link Rejection} that is safe to show the caller. A refusal is a value, never an exception.
 */
public sealed interface EditResult permits EditResult.Success, EditResult.Rejected {

  /** {@return the request's id} */
  String requestId();

  /** {@return time from the request's arrival to its result} */
  Duration elapsed();

  /** {@return the caller's rate-limit standing, when a rate limiter reported one} */
  Optional<Quota> quota();

  /** {@return whether the edit succeeded} */
  default boolean isSuccess() {
    return this instanceof Success;
  }

  /**
   * The edited image, encoded and released by the output policy. Immutable: the accessor copies.
   *
   * @param requestId the request's id
   * @param image the encoded image bytes
   * @param mediaType the image's media type, such as {@code image/png}
   * @param width width in pixels
   * @param height height in pixels
   * @param modelId the id of the model that made it
   * @param elapsed time from arrival to result
   * @param stageLatencies time spent in each stage
   * @param attributes non-secret facts the policies added (such as {@code produceId})
   * @param quotaValue the caller's quota, or {@link Quota#NONE}
   */
  record Success(
      String requestId,
      byte[] image,
      String mediaType,
      int width,
      int height,
      String modelId,
      Duration elapsed,
      Map<Stage, Duration> stageLatencies,
      Map<String, String> attributes,
      Quota quotaValue)
      implements EditResult {
    /**
     * Copies the image and the maps; nothing may be null.
     *
     * @param requestId the request's id
     * @param image the encoded image bytes
     * @param mediaType the image's media type, such as {@code image/png}
     * @param width width in pixels
     * @param height height in pixels
     * @param modelId the id of the model that made it
     * @param elapsed time from arrival to result
     * @param stageLatencies time spent in each stage
     * @param attributes non-secret facts the policies added (such as {@code produceId})
     * @param quotaValue the caller's quota, or {@link Quota#NONE}
     */
    public Success {
      Objects.requireNonNull(requestId, "requestId");
      image = Objects.requireNonNull(image, "image").clone();
      Objects.requireNonNull(mediaType, "mediaType");
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(elapsed, "elapsed");
      stageLatencies = stageLatencies.isEmpty() ? Map.of() : new EnumMap<>(stageLatencies);
      attributes = Map.copyOf(attributes);
      Objects.requireNonNull(quotaValue, "quotaValue");
    }

    /** {@return a copy of the encoded image} */
    @Override
    public byte[] image() {
      return image.clone();
    }

    @Override
    public Optional<Quota> quota() {
      return quotaValue == Quota.NONE ? Optional.empty() : Optional.of(quotaValue);
    }

    @Override
    public String toString() {
      return "Success{request=" + requestId + ", " + mediaType + " " + width + "x" + height + ", " + image.length
          + " bytes, model=" + modelId + ", elapsed=" + elapsed + "}";
    }
  }

  /**
   * The request was refused.
   *
   * @param requestId the request's id
   * @param rejection why, safe to show the caller
   * @param elapsed time from arrival to result
   */
  record Rejected(String requestId, Rejection rejection, Duration elapsed) implements EditResult {
    /**
     * Nothing may be null.
     *
     * @param requestId the request's id
     * @param rejection why, safe to show the caller
     * @param elapsed time from arrival to result
     */
    public Rejected {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(rejection, "rejection");
      Objects.requireNonNull(elapsed, "elapsed");
    }

    /** {@return why: the rejection's reason} */
    public ReasonCode reason() {
      return rejection.reason();
    }

    @Override
    public Optional<Quota> quota() {
      return rejection.quota();
    }
  }
}
