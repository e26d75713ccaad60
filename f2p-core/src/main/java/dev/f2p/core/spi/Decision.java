package dev.f2p.core.spi;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import java.util.Map;
import java.util.Objects;

/**
 * A policy's answer: {@link Allowed} with the value the next stage needs (a principal, a cleaned prompt,
 * a validated image, a lease), or {@link Rejected} with a {@link Rejection}. Either may carry non-secret
 * attributes that go into the request's security events (a prompt category, a perceptual hash).
 *
 * @param <T> what an allowed decision hands on
 */
public sealed interface Decision<T> permits Decision.Allowed, Decision.Rejected {

  /**
   * Allows, handing on {@code value}.
   *
   * @param <T> the value's type
   * @param value what the next stage receives
   * @return the decision
   */
  static <T> Decision<T> allow(T value) {
    return new Allowed<>(value, Map.of());
  }

  /**
   * Allows, handing on {@code value} and adding event attributes.
   *
   * @param <T> the value's type
   * @param value what the next stage receives
   * @param attributes non-secret facts for the request's events
   * @return the decision
   */
  static <T> Decision<T> allow(T value, Map<String, String> attributes) {
    return new Allowed<>(value, attributes);
  }

  /**
   * Refuses.
   *
   * @param <T> the type an allowed decision would have handed on
   * @param rejection why
   * @return the decision
   */
  static <T> Decision<T> reject(Rejection rejection) {
    return new Rejected<>(rejection, Map.of());
  }

  /**
   * Refuses with the reason's default detail and safe message.
   *
   * @param <T> the type an allowed decision would have handed on
   * @param reason why
   * @return the decision
   */
  static <T> Decision<T> reject(ReasonCode reason) {
    return reject(Rejection.of(reason));
  }

  /**
   * Refuses, adding event attributes.
   *
   * @param <T> the type an allowed decision would have handed on
   * @param rejection why
   * @param attributes non-secret facts for the request's events
   * @return the decision
   */
  static <T> Decision<T> reject(Rejection rejection, Map<String, String> attributes) {
    return new Rejected<>(rejection, attributes);
  }

  /** {@return the attributes for the security events; never secrets} */
  Map<String, String> attributes();

  /** {@return whether this lets the request through} */
  default boolean isAllowed() {
    return this instanceof Allowed;
  }

  /**
   * Let through.
   *
   * @param <T> the value's type
   * @param value what the next stage receives
   * @param attributes non-secret facts for the request's events
   */
  record Allowed<T>(T value, Map<String, String> attributes) implements Decision<T> {
    /**
     * Copies the attributes; the value must not be null.
     *
     * @param value what the next stage receives
     * @param attributes non-secret facts for the request's events
     */
    public Allowed {
      Objects.requireNonNull(value, "value");
      attributes = Map.copyOf(attributes);
    }
  }

  /**
   * Refused.
   *
   * @param <T> the type an allowed decision would have handed on
   * @param rejection why
   * @param attributes non-secret facts for the request's events
   */
  record Rejected<T>(Rejection rejection, Map<String, String> attributes) implements Decision<T> {
    /**
     * Copies the attributes; the rejection must not be null.
     *
     * @param rejection why
     * @param attributes non-secret facts for the request's events
     */
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
      attributes = Map.copyOf(attributes);
    }

    /**
     * {@return the same refusal typed for another stage}
     *
     * @param <U> the other stage's type
     */
    @SuppressWarnings("unchecked")
    public <U> Rejected<U> cast() {
      return (Rejected<U>) this;
    }
  }
}
