package dev.f2p.core;

import dev.f2p.core.internal.Pipeline;
import dev.f2p.core.spi.ProgressListener;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link ImageEditClient#admit(AdmissionRequest)}: a request judged on its headers alone,
 * either {@linkplain #isAdmitted() admitted} (authenticated, authorized, not locked down or blocked, a
 * rate-limit permit taken) or refused with the usual {@link Rejection}, whose events were already
 * published. Only an admitted request is worth reading a body for:
 *
 * <pre>{@code
 * try (Admission admission = client.admit(AdmissionRequest.of(key, address, requestId))) {
 *   if (!admission.isAdmitted()) {
 *     return problem(admission.rejection().orElseThrow());   // no body byte read
 *   }
 *   EditRequest request = admission.requestBuilder().image(readBody()).prompt(prompt).build();
 *   EditResult result = admission.edit(request);              // prompt filter, image, guard, engine, output
 * }
 * }</pre>
 *
 * <p>Single use: {@link #edit} completes it once; {@link #abandon} (or {@link #close()}) ends an admitted
 * request whose body never came, publishing its one {@link Stage#COMPLETE} event. The rate-limit permit
 * taken at admission is not given back either way: an abandoned request counts against the caller's
 * quota like a request the image validator or the resource guard refuses later, so opening admissions
 * and dropping them is no way around the limits. Thread-safe: it may be completed on another thread than
 * the one that admitted it, and exactly one of concurrent calls completes it.
 */
public final class Admission implements AutoCloseable {
  /** The detail of the rejection {@link #close()} ends an unfinished admission with. */
  public static final String ABANDONED = "ADMISSION_ABANDONED";

  private final Pipeline.Ticket ticket;
  private final AdmissionRequest request;

  Admission(Pipeline.Ticket ticket, AdmissionRequest request) {
    this.ticket = ticket;
    this.request = request;
  }

  /** @return whether the request may go on to its body */
  public boolean isAdmitted() {
    return ticket.admitted();
  }

  /** @return why the request was refused; empty when it was admitted */
  public Optional<Rejection> rejection() {
    return ticket.refusal().map(EditResult.Rejected::rejection);
  }

  /** @return the refusal as a result, as {@link ImageEditClient#edit} would have returned it; empty when admitted */
  public Optional<EditResult.Rejected> result() {
    return ticket.refusal();
  }

  /** @return the request's id (the one events carry) */
  public String requestId() {
    return ticket.requestId();
  }

  /** @return who was admitted; empty when refused before authentication succeeded */
  public Optional<Principal> principal() {
    return ticket.principal();
  }

  /** @return the caller's rate-limit standing after admission, for rate-limit headers; empty when none */
  public Optional<Quota> quota() {
    return ticket.quota();
  }

  /**
   * A request builder holding what was admitted (key, address, request id, declared size and steps): add
   * the body's parts and pass the result to {@link #edit}.
   *
   * @return a new builder
   */
  public EditRequest.Builder requestBuilder() {
    return request.toEditRequestBuilder();
  }

  /**
   * Runs the admitted request's body stages (prompt filter, image validation, resource guard, engine,
   * output policy) on this thread. The request must carry the admitted key, address and request id
   * (build it with {@link #requestBuilder()}); a size or step count other than the admitted one is
   * authorized again. For a refused admission it returns the refusal, publishing nothing more.
   *
   * @param request the whole request
   * @return how it ended; never null
   * @throws IllegalArgumentException when the request is not the admitted one (a host bug)
   * @throws IllegalStateException when this admission was already completed or abandoned
   */
  public EditResult edit(EditRequest request) {
    return edit(request, ProgressListener.NONE);
  }

  /**
   * {@link #edit(EditRequest)}, telling {@code progress} after each inference step.
   *
   * @param request the whole request
   * @param progress told after each step
   * @return how it ended; never null
   */
  public EditResult edit(EditRequest request, ProgressListener progress) {
    return ticket.complete(Objects.requireNonNull(request, "request"), Objects.requireNonNull(progress, "progress"));
  }

  /**
   * Ends an admitted request without its body (the body was malformed, too large, too slow, or the
   * host has no room for it) and publishes its {@link Stage#COMPLETE} event with {@code why}. The
   * permit taken at admission stays taken. For a refused admission it returns the refusal.
   *
   * @param why the refusal the caller gets
   * @return the result the host answers with
   * @throws IllegalStateException when this admission was already completed or abandoned
   */
  public EditResult.Rejected abandon(Rejection why) {
    return ticket.abandon(Objects.requireNonNull(why, "why"));
  }

  /**
   * Abandons the admission with {@link ReasonCode#INVALID_REQUEST} / {@value #ABANDONED} if it is still
   * open; does nothing once it was completed, abandoned or refused. Idempotent.
   */
  @Override
  public void close() {
    ticket.closeQuietly(Rejection.of(ReasonCode.INVALID_REQUEST, ABANDONED,
        "The request ended before its body was received."));
  }

  @Override
  public String toString() {
    return "Admission{" + requestId() + (isAdmitted() ? ", admitted" : ", refused " + rejection().orElseThrow()) + "}";
  }
}
