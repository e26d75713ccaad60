package dev.f2p.spring.autoconfigure;

import dev.f2p.core.HttpFields;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report for errors raised before any servlet runs (a malformed {@code Content-Length} or
 * request line, headers over the limits): an RFC 9457 problem instead of Tomcat's HTML page. The body is
 * made only of fixed texts, never of the request or an exception. Installed on the host by
 * {@link F2pWebAutoConfiguration}; Tomcat makes one per host.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {
  /** Creates the valve; Tomcat calls it by class name. */
  public ProblemErrorReportValve() {}

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    String requestId = HttpAnswers.newRequestId();
    String json = HttpFields.problemJson(status, ProblemErrorController.code(status),
        ProblemErrorController.detail(status), requestId);
    try {
      HttpAnswers.common(response, requestId);
      response.setContentType(HttpAnswers.PROBLEM_JSON);
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(json);
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The connection is gone or the response was committed meanwhile: nothing more to tell the client.
    }
  }
}
