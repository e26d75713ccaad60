package dev.f2p.spring.autoconfigure;

import dev.f2p.core.HttpFields;
import dev.f2p.core.ReasonCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every error the server raises itself (no such path, wrong method, a request Tomcat refused, an
 * unexpected exception) answered as an RFC 9457 problem like the guard's own refusals, never an HTML page
 * or a body naming an exception class. Replaces Boot's {@code BasicErrorController}; a host's own
 * {@code ErrorController} bean replaces this one. Thread-safe.
 */
@RestController
final class ProblemErrorController implements org.springframework.boot.webmvc.error.ErrorController {
  @RequestMapping("${server.error.path:${error.path:/error}}")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i && i >= 400 && i <= 599 ? i : 500;
    response.resetBuffer();
    HttpAnswers.problem(response, HttpAnswers.newRequestId(), status, code(status), detail(status),
        Duration.ZERO, Optional.empty(), true);
  }

  /** The problem code of an error status the server raised: fixed, never from the request or an exception. */
  static String code(int status) {
    return switch (status) {
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 413 -> GenerateController.BODY_TOO_LARGE;
      case 501 -> ReasonCode.INVALID_REQUEST.name(); // a Transfer-Encoding the server does not implement
      default -> status >= 500 ? ReasonCode.ENGINE_FAILURE.name() : ReasonCode.INVALID_REQUEST.name();
    };
  }

  /** The safe detail of an error status: the standard reason phrase, or a fixed text. */
  static String detail(int status) {
    return status >= 500 && status != 501 ? "The request could not be completed." : HttpFields.problemTitle(status) + ".";
  }
}
