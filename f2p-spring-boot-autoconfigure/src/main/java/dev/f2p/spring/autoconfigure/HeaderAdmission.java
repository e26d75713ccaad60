package dev.f2p.spring.autoconfigure;

import dev.f2p.core.Admission;
import dev.f2p.core.AdmissionRequest;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.ReasonCode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Optional;

/**
 * Admission on the headers of {@code POST /generate}, as the first filter, before Spring's dispatcher,
 * observation or any other filter runs: the {@code X-API-Key} and the peer address (as the container
 * resolved it) go to {@link ImageEditClient#admit}; a refused caller is answered at once with its problem
 * ({@link HttpAnswers}) and no byte of its body is read; an admitted caller goes on with its
 * {@link Admission} as the request attribute {@link #ATTRIBUTE}, which {@link GenerateController} ends, and
 * which is closed when the request leaves this filter. Refusals are the cheap path a flood takes, so they
 * cost one admission and one small write. Thread-safe.
 */
final class HeaderAdmission implements Filter {
  static final String ATTRIBUTE = HeaderAdmission.class.getName() + ".admission";

  /** What an admitted request goes on to. */
  @FunctionalInterface
  interface Next {
    void run(Admission admission) throws IOException, ServletException;
  }

  private final ImageEditClient client;

  HeaderAdmission(ImageEditClient client) {
    this.client = client;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) req;
    if (!"POST".equals(http.getMethod()) || http.getAttribute(ATTRIBUTE) != null) {
      chain.doFilter(req, res); // the dispatcher answers a wrong method with its 405 problem
      return;
    }
    admit(http, (HttpServletResponse) res, admission -> {
      http.setAttribute(ATTRIBUTE, admission);
      try {
        chain.doFilter(req, res);
      } finally {
        http.removeAttribute(ATTRIBUTE);
      }
    });
  }

  /** Admits the caller on its headers and runs {@code next}, or answers the refusal; the admission is closed after. */
  void admit(HttpServletRequest http, HttpServletResponse response, Next next) throws IOException, ServletException {
    String requestId = HttpAnswers.newRequestId();
    Enumeration<String> keys = http.getHeaders(HttpAnswers.API_KEY);
    String key = keys.hasMoreElements() ? keys.nextElement() : "";
    if (keys.hasMoreElements()) {
      HttpAnswers.problem(response, requestId, 400, ReasonCode.INVALID_REQUEST.name(),
          "The header " + HttpAnswers.API_KEY + " is repeated.", Duration.ZERO, Optional.empty(), true);
      return;
    }
    try (Admission admission = client.admit(AdmissionRequest.of(key, http.getRemoteAddr(), requestId))) {
      if (!admission.isAdmitted()) {
        HttpAnswers.rejected(response, requestId, admission.result().orElseThrow(), HttpAnswers.declaresBody(http));
        return;
      }
      next.run(admission);
    }
  }
}
