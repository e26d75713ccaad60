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

  /** {@return allows, handing on {@code value}} */
  static <T> Decision<T> allow(T value) {
    return new Allowed<>(value, Map.of());
  }

  /** {@return allows, handing on {@code value} and adding event attributes} */
  static <T> Decision<T> allow(T value, Map<String, String> attributes) {
    return new Allowed<>(value, attributes);
  }

  /** {@return Refuses} */
  static <T> Decision<T> reject(Rejection rejection) {
    return new Rejected<>(rejection, Map.of());
  }

  /** {@return Refuses with the reason's default detail and safe message} */
  static <T> Decision<T> reject(ReasonCode reason) {
    return reject(Rejection.of(reason));
  }

  /** {@return refuses, adding event attributes} */
  static <T> Decision<T> reject(Rejection rejection, Map<String, String> attributes) {
    return new Rejected<>(rejection, attributes);
  }

  /** {@return Attributes for the security events; never secrets} */
  Map<String, String> attributes();

  default boolean isAllowed() {
    return this instanceof Allowed;
  }

  /** Let through. */
  record Allowed<T>(T value, Map<String, String> attributes) implements Decision<T> {
    public Allowed {
      Objects.requireNonNull(value, "value");
      attributes = Map.copyOf(attributes);
    }
  }

  /** Refused. */
  record Rejected<T>(Rejection rejection, Map<String, String> attributes) implements Decision<T> {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
      attributes = Map.copyOf(attributes);
    }

    /** {@return the same refusal typed for another stage} */
    @SuppressWarnings("unchecked")
    public <U> Rejected<U> cast() {
      return (Rejected<U>) this;
    }
  }
}
