package dev.f2p.spring.autoconfigure;

import dev.f2p.core.Admission;
import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * {@code POST /generate}: the caller was admitted on its headers ({@link HeaderAdmission}: {@code X-API-Key},
 * the peer address as the container resolved it) before the body is touched; a refused caller got its
 * RFC 9457 problem at once, with {@code Connection: close} when it declared a body, and no byte of that body
 * was read or parsed. An admitted caller's multipart form (parts {@code image}, {@code prompt},
 * {@code negative_prompt}, {@code width}, {@code height}, {@code steps}, {@code seed}, {@code guidance}) is
 * parsed only then, by the container within its multipart limits, and a body that fails ends the admission
 * with that refusal. Every answer carries {@code X-Request-Id}, the IETF {@code RateLimit-Policy}/{@code RateLimit}
 * fields when the rate limiter judged the caller, and {@code Retry-After} on 429 and 503. Answers are written
 * straight onto the response ({@link HttpAnswers}). Thread-safe.
 */
@RestController
final class GenerateController {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateController.class);
  static final String BODY_TOO_LARGE = "BODY_TOO_LARGE";

  private final HeaderAdmission admission;
  private final long maxBodyBytes;

  GenerateController(HeaderAdmission admission, long maxBodyBytes) {
    this.admission = admission;
    this.maxBodyBytes = maxBodyBytes;
  }

  @PostMapping("${f2p.http.path:/generate}")
  void generate(HttpServletRequest http, HttpServletResponse response) throws IOException, ServletException {
    if (http.getAttribute(HeaderAdmission.ATTRIBUTE) instanceof Admission admitted) {
      serve(http, response, admitted);
    } else {
      // Reached without the filter (a path spelling its mapping did not match): admitted here the same way.
      admission.admit(http, response, admitted -> serve(http, response, admitted));
    }
  }

  private void serve(HttpServletRequest http, HttpServletResponse response, Admission admission) throws IOException {
    String requestId = admission.requestId();
    EditRequest request;
    try {
      request = readBody(http, admission);
    } catch (BodyFailure f) {
      HttpAnswers.rejected(response, requestId, admission.abandon(f.rejection), true);
      return;
    }
    EditResult result = admission.edit(request);
    if (result instanceof EditResult.Success success) {
      response.setStatus(200);
      HttpAnswers.common(response, requestId);
      HttpAnswers.quota(response, result.quota());
      HttpAnswers.write(response, success.mediaType(), success.image());
    } else {
      HttpAnswers.rejected(response, requestId, (EditResult.Rejected) result, false);
    }
  }

  private EditRequest readBody(HttpServletRequest http, Admission admission) throws BodyFailure {
    String type = http.getContentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(MediaType.MULTIPART_FORM_DATA_VALUE)) {
      throw new BodyFailure(malformed("The request must be multipart/form-data.").withHttpStatus(415));
    }
    if (http.getContentLengthLong() > maxBodyBytes) {
      throw new BodyFailure(tooLarge());
    }
    try {
      EditRequest.Builder b = admission.requestBuilder();
      b.image(bytes(http.getPart("image"), (int) Math.min(maxBodyBytes, EditRequest.MAX_IMAGE_BYTES))
          .orElseThrow(() -> new BodyFailure(malformed("The part 'image' is required."))));
      b.prompt(text(http, "prompt").orElse("")).negativePrompt(text(http, "negative_prompt").orElse(""));
      b.size(number(http, "width", EditRequest.DEFAULT_SIDE), number(http, "height", EditRequest.DEFAULT_SIDE))
          .steps(number(http, "steps", EditRequest.DEFAULT_STEPS));
      Optional<String> seed = text(http, "seed");
      if (seed.isPresent()) {
        b.seed(parse("seed", seed.get(), Long::parseLong));
      }
      Optional<String> guidance = text(http, "guidance");
      if (guidance.isPresent()) {
        double g = parse("guidance", guidance.get(), Double::parseDouble);
        if (!Double.isFinite(g)) {
          throw new BodyFailure(malformed("The part 'guidance' must be a number."));
        }
        b.guidanceScale(g);
      }
      return b.build();
    } catch (MaxUploadSizeExceededException e) {
      throw new BodyFailure(tooLarge());
    } catch (MultipartException | IOException | jakarta.servlet.ServletException | IllegalStateException e) {
      // A malformed, truncated or timed-out body: the container's parser says why; the caller is told less.
      LOG.debug("request body failed: {}", e.toString());
      throw new BodyFailure(malformed("The multipart body is malformed or incomplete."));
    } catch (IllegalArgumentException e) {
      // EditRequest's own bounds (size, steps): a client error worded safely, never the exception's text.
      throw new BodyFailure(Rejection.of(ReasonCode.INVALID_REQUEST));
    }
  }

  private static Optional<byte[]> bytes(Part part, int max) throws IOException, BodyFailure {
    if (part == null) {
      return Optional.empty();
    }
    try (InputStream in = part.getInputStream()) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new BodyFailure(tooLarge());
      }
      return Optional.of(b);
    }
  }

  private static final int MAX_FIELD_BYTES = 8192;

  private static Optional<String> text(HttpServletRequest http, String name)
      throws IOException, jakarta.servlet.ServletException, BodyFailure {
    Part part = http.getPart(name);
    if (part == null) {
      return Optional.empty();
    }
    return Optional.of(new String(bytes(part, MAX_FIELD_BYTES).orElseThrow(), StandardCharsets.UTF_8));
  }

  private static int number(HttpServletRequest http, String name, int defaultValue)
      throws IOException, jakarta.servlet.ServletException, BodyFailure {
    Optional<String> v = text(http, name);
    return v.isEmpty() ? defaultValue : parse(name, v.get(), Integer::parseInt);
  }

  private interface Parser<T> {
    T parse(String s);
  }

  private static <T> T parse(String name, String value, Parser<T> parser) throws BodyFailure {
    try {
      return parser.parse(value.trim());
    } catch (NumberFormatException e) {
      throw new BodyFailure(malformed("The part '" + name + "' must be a number."));
    }
  }

  private static Rejection malformed(String message) {
    return Rejection.of(ReasonCode.INVALID_REQUEST, ReasonCode.INVALID_REQUEST.name(), message);
  }

  private static Rejection tooLarge() {
    return Rejection.of(ReasonCode.INVALID_REQUEST, BODY_TOO_LARGE, "The request body is too large.")
        .withHttpStatus(413);
  }

  /** A body that cannot become a request, with the refusal its admission ends with. */
  private static final class BodyFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    BodyFailure(Rejection rejection) {
      super(rejection.detail(), null, false, false);
      this.rejection = rejection;
    }
  }
}
