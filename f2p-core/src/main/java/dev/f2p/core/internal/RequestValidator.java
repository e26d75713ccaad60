package dev.f2p.core.internal;

import dev.f2p.core.EditRequest;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Enforces {@link EditRequest}'s Jakarta Bean Validation constraints with Hibernate Validator. The
 * message names the fields and constraints, never the values. Thread-safe.
 */
public final class RequestValidator implements AutoCloseable {
  private static final int MAX_MESSAGE = 300;
  private static final List<String> ADMISSION_PROPERTIES =
      List.of("apiKey", "clientAddress", "requestId", "width", "height", "steps");

  private final ValidatorFactory factory;
  private final Validator validator;

  public RequestValidator() {
    this.factory = Validation.byProvider(HibernateValidator.class)
        .configure()
        .messageInterpolator(new ParameterMessageInterpolator())
        .buildValidatorFactory();
    this.validator = factory.getValidator();
  }

  /** The violations as one rejection, or empty when the request is valid. */
  public Optional<Rejection> check(EditRequest request) {
    return rejection(validator.validate(request), request.guidanceScale());
  }

  /**
   * The violations of the parts an admission judges (key, address, request id, size, steps) as one
   * rejection, or empty when they are valid: what can be checked before the body arrives.
   */
  public Optional<Rejection> checkAdmission(EditRequest shape) {
    if (admissionPartsValid(shape)) {
      // The common case, decided without the validator: admission is on every request's hot path.
      return Optional.empty();
    }
    Set<ConstraintViolation<EditRequest>> violations = new HashSet<>();
    for (String property : ADMISSION_PROPERTIES) {
      violations.addAll(validator.validateProperty(shape, property));
    }
    return rejection(violations, shape.guidanceScale());
  }

  /** {@link EditRequest}'s constraints on the admission parts, checked by hand; the validator words a failure. */
  private static boolean admissionPartsValid(EditRequest r) {
    if (r.apiKey().length() > 512 || r.clientAddress().isBlank() || r.clientAddress().length() > 64
        || !isSafeId(r.requestId())) {
      return false;
    }
    return inRange(r.width(), EditRequest.MIN_SIDE, EditRequest.MAX_SIDE)
        && inRange(r.height(), EditRequest.MIN_SIDE, EditRequest.MAX_SIDE)
        && inRange(r.steps(), 1, EditRequest.MAX_STEPS);
  }

  /** Whether {@code id} is 1 to 128 of {@code [A-Za-z0-9._:-]}: a request id that may go into logs as it is. */
  static boolean isSafeId(String id) {
    if (id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_'
          || c == ':' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean inRange(int value, int min, int max) {
    return value >= min && value <= max;
  }

  private static Optional<Rejection> rejection(Set<ConstraintViolation<EditRequest>> violations, double guidanceScale) {
    if (violations.isEmpty() && Double.isFinite(guidanceScale)) {
      return Optional.empty();
    }
    Set<String> problems = new TreeSet<>();
    for (ConstraintViolation<EditRequest> v : violations) {
      problems.add(v.getPropertyPath() + " " + v.getMessage());
    }
    if (!Double.isFinite(guidanceScale)) {
      problems.add("guidanceScale must be a finite number");
    }
    String message = "Invalid request: " + String.join("; ", problems);
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    return Optional.of(Rejection.of(ReasonCode.INVALID_REQUEST, "CONSTRAINT_VIOLATION", message));
  }

  @Override
  public void close() {
    factory.close();
  }
}
