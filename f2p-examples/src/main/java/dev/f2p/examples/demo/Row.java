package dev.f2p.examples.demo;

import dev.f2p.core.EditResult;
import dev.f2p.core.SecurityEvent;

/** One line of the demo's closing table. */
record Row(String what, String outcome, String reason, String http, String note) {
  static Row of(String what, EditResult result, SecurityEvent finalEvent) {
    if (result instanceof EditResult.Success s) {
      String pdq = finalEvent == null ? "" : ", PDQ " + abbreviate(finalEvent.attributes().getOrDefault("pdq.input", "-"));
      return new Row(what, "OK", "-", "200",
          s.width() + "x" + s.height() + " " + s.mediaType() + ", " + s.elapsed().toMillis() + " ms" + pdq);
    }
    EditResult.Rejected r = (EditResult.Rejected) result;
    return new Row(what, "REFUSED", r.reason() + "/" + r.rejection().detail(),
        Integer.toString(r.rejection().httpStatus()), r.rejection().retryAfter()
            .map(d -> "retry after " + d.toSeconds() + " s").orElse(r.elapsed().toMillis() + " ms"));
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) + "..." : hash;
  }

  /** The first request should succeed and every later one be refused. */
  boolean asExpected() {
    return what.startsWith("edit a face") ? outcome.equals("OK") : outcome.equals("REFUSED");
  }
}
