package dev.f2p.examples.demo;

import dev.f2p.core.EditResult;
import dev.f2p.core.SecurityEvent;

/** One line of the demo's closing table. */
record Row(String what, String outcome, String reason, String http, String note) {
  static Row of(String what, EditResult result, SecurityEvent finalEvent) {
    return switch (result) {
      case EditResult.Success s -> new Row(what, "OK", "-", "200",
          s.width() + "x" + s.height() + " " + s.mediaType() + ", " + s.elapsed().toMillis() + " ms"
              + (finalEvent == null ? "" : ", PDQ " + finalEvent.attributes().getOrDefault("pdq.input", "?")
                  .substring(0, 12) + "..."));
      case EditResult.Rejected r -> new Row(what, "REFUSED", r.reason() + "/" + r.rejection().detail(),
          Integer.toString(r.rejection().httpStatus()), r.rejection().retryAfter()
              .map(d -> "retry after " + d.toSeconds() + " s").orElse(r.elapsed().toMillis() + " ms"));
    };
  }

  /** The first request should succeed and every later one be refused. */
  boolean asExpected() {
    return what.startsWith("edit a face") ? outcome.equals("OK") : outcome.equals("REFUSED");
  }
}
