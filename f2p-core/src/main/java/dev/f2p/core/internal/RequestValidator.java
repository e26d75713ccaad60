package dev.f2p.core.internal;

import dev.f2p.core.EditRequest;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enforces {@link EditRequest}'s Jakarta Bean Validation constraints with whichever provider is on the class
 * path (Hibernate Validator in our builds), through the API only. The message names the fields and
 * constraints, never the values. Thread-safe.
 */
public final class RequestValidator implements AutoCloseable {
  private static final int MAX_MESSAGE = 300;

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
    Set<ConstraintViolation<EditRequest>> violations = validator.validate(request);
    if (violations.isEmpty() && Double.isFinite(request.guidanceScale())) {
      return Optional.empty();
    }
    Set<String> problems = new TreeSet<>();
    for (ConstraintViolation<EditRequest> v : violations) {
      problems.add(v.getPropertyPath() + " " + v.getMessage());
    }
    if (!Double.isFinite(request.guidanceScale())) {
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

    private static String lookUp(String key) {
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
