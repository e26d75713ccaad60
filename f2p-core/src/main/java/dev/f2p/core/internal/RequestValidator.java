package dev.f2p.core.internal;

import dev.f2p.core.EditRequest;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Enforces {@link EditRequest}'s Jakarta Bean Validation constraints with whichever provider is on the class
 * path (Hibernate Validator in our builds), through the API only. The message names the fields and
 * constraints, never the values. Thread-safe.
 */
public final class RequestValidator implements AutoCloseable {
  private static final int MAX_MESSAGE = 300;
  private static final List<String> ADMISSION_PROPERTIES =
      List.of("apiKey", "clientAddress", "requestId", "width", "height", "steps");

  private final ValidatorFactory factory;
  private final Validator validator;

  public RequestValidator() {
    this.factory = Validation.byDefaultProvider()
        .configure()
        .messageInterpolator(new AttributeInterpolator())
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

  /**
   * Message templates without Jakarta EL: {@code {key}} from the provider's {@code ValidationMessages}
   * bundle, then {@code {attribute}} from the constraint (such as {@code {max}}). No value of the request is
   * ever put into a message.
   */
  private static final class AttributeInterpolator implements MessageInterpolator {
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z0-9_.]+)}");
    private static final String[] BUNDLES = {"ValidationMessages", "org.hibernate.validator.ValidationMessages"};

    @Override
    public String interpolate(String template, Context context) {
      return interpolate(template, context, Locale.ROOT);
    }

    @Override
    public String interpolate(String template, Context context, Locale locale) {
      Matcher m = PARAMETER.matcher(template);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String name = m.group(1);
        Object attribute = context.getConstraintDescriptor().getAttributes().get(name);
        String value = attribute != null ? String.valueOf(attribute) : lookUp(name);
        m.appendReplacement(out, Matcher.quoteReplacement(value != null ? interpolate(value, context, locale) : m.group()));
      }
      m.appendTail(out);
      return out.toString();
    }

    private static @Nullable String lookUp(String key) {
      for (String bundle : BUNDLES) {
        try {
          return ResourceBundle.getBundle(bundle, Locale.ROOT).getString(key);
        } catch (MissingResourceException e) {
          // next bundle
        }
      }
      return null;
    }
  }
}
