package dev.f2p.examples.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.f2p.core.Admission;
import dev.f2p.core.AdmissionRequest;
import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.HttpFields;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the service: routing, admission (concurrency cap, draining), the {@code /generate}
 * form, health, metrics and the admin endpoints. Anything unexpected is logged with the request id and
 * answered with a bare 500 problem. Thread-safe.
 */
final class ServiceHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceHandler.class);
  private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

  private final ImageEditClient client;
  private final long maxBodyBytes;
  private final Duration readTimeout;
  private final int trustedProxies;
  private final LongSupplier ticker;
  private final Supplier<String> metricsSource;
  private final AdminEndpoints admin;
  private final Semaphore slots;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object idle = new Object();
  private volatile boolean draining;
  private final MeterRegistry registry;
  private final Counter bodyBytes;

  ServiceHandler(HttpService.Builder c) {
    this.client = c.client;
    this.maxBodyBytes = c.maxBodyBytes;
    this.readTimeout = c.readTimeout;
    this.trustedProxies = c.trustedProxies;
    this.ticker = c.ticker;
    this.metricsSource = c.metricsSource;
    this.admin = new AdminEndpoints(c.client, c.adminActions);
    this.slots = new Semaphore(c.maxConcurrent);
    this.registry = c.meterRegistry;
    this.bodyBytes = Counter.builder("f2p.http.body.read").baseUnit("bytes")
        .description("Request body bytes read").register(registry);
    registry.gauge("f2p.http.in.flight", inFlight);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString();
    long start = System.nanoTime();
    inFlight.incrementAndGet();
    String route = route(exchange.getRequestURI().getRawPath());
    int status = 500;
    try {
      status = dispatch(exchange, requestId, route);
    } catch (IOException e) {
      LOG.debug("request {}: connection failed: {}", requestId, e.toString());
      status = 499;
    } catch (RuntimeException | Error e) {
      LOG.error("request {}: unexpected failure", requestId, e);
      status = problem(exchange, requestId, Problem.of(500, ReasonCode.ENGINE_FAILURE.name(),
          "The request could not be completed."));
    } finally {
      exchange.close();
      Counter.builder("f2p.http.requests").tag("route", route).tag("status", Integer.toString(status))
          .register(registry).increment();
      Timer.builder("f2p.http.request.duration").tag("route", route).register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      if (inFlight.decrementAndGet() == 0) {
        synchronized (idle) {
          idle.notifyAll();
        }
      }
    }
  }

  private int dispatch(HttpExchange exchange, String requestId, String route) throws IOException {
    String method = exchange.getRequestMethod();
    if (route.equals("health")) {
      return method.equals("GET") ? health(exchange, requestId) : methodNotAllowed(exchange, requestId, "GET");
    }
    if (draining) {
      exchange.getResponseHeaders().set("Connection", "close");
      return problem(exchange, requestId, Problem.overloaded("The service is shutting down.", BUSY_RETRY));
    }
    try {
      String address = CallerAddress.of(exchange, trustedProxies);
      // No route takes a /generate slot before its caller is admitted, and admin calls take none at all:
      // they are authenticated at once and cheap, and must get through while uploads fill every slot.
      return switch (route) {
        case "generate" -> method.equals("POST") ? generate(exchange, requestId, address)
            : methodNotAllowed(exchange, requestId, "POST");
        case "metrics" -> method.equals("GET") ? metrics(exchange, requestId, address)
            : methodNotAllowed(exchange, requestId, "GET");
        case "admin" -> admin(exchange, requestId, address);
        default -> problem(exchange, requestId, Problem.of(404, Problem.NOT_FOUND, "No such resource."));
      };
    } catch (Problem.Failure f) {
      exchange.getResponseHeaders().set("Connection", "close");
      return problem(exchange, requestId, f.problem());
    }
  }

  private static String route(String path) {
    if (path == null) {
      return "other";
    }
    return switch (path) {
      case "/generate" -> "generate";
      case "/health" -> "health";
      case "/metrics" -> "metrics";
      default -> path.startsWith("/admin/") ? "admin" : "other";
    };
  }

  /**
   * Admission on the headers first: a refused caller is answered at once, with no slot taken and no body
   * byte read, and its connection is closed (the JDK server discards at most 64 KiB of what it already
   * sent, on this connection's own thread, so the client can read the answer). An admitted caller takes
   * a slot, and only then is its body read; a body that fails ends the admission with that refusal.
   */
  private int generate(HttpExchange exchange, String requestId, String address)
      throws IOException, Problem.Failure {
    Headers in = exchange.getRequestHeaders();
    String key = single(in, "X-API-Key").orElse("");
    try (Admission admission = client.admit(AdmissionRequest.of(key, address, requestId))) {
      if (!admission.isAdmitted()) {
        exchange.getResponseHeaders().set("Connection", "close");
        return answer(exchange, requestId, admission.result().orElseThrow());
      }
      if (!slots.tryAcquire()) {
        exchange.getResponseHeaders().set("Connection", "close");
        return answer(exchange, requestId, admission.abandon(Rejection.of(ReasonCode.OVERLOADED, "NO_SLOT",
            ReasonCode.OVERLOADED.safeMessage()).withRetryAfter(BUSY_RETRY)));
      }
      try {
        EditRequest request;
        try {
          request = readBody(exchange, in, admission);
        } catch (Problem.Failure f) {
          // The body failed: the admission ends with that refusal (its event), the client gets the problem.
          Problem p = f.problem();
          admission.abandon(Rejection.of(p.status() == 503 ? ReasonCode.OVERLOADED : ReasonCode.INVALID_REQUEST,
              p.code(), p.detail()).withHttpStatus(p.status()));
          throw f;
        }
        return answer(exchange, requestId, admission.edit(request));
      } finally {
        slots.release();
      }
    }
  }

  private EditRequest readBody(HttpExchange exchange, Headers in, Admission admission)
      throws IOException, Problem.Failure {
    String contentType = single(in, "Content-Type")
        .orElseThrow(() -> new Problem.Failure(Problem.malformed("The request needs a Content-Type.")));
    String boundary = MultipartForm.boundary(contentType);
    Optional<String> length = single(in, "Content-Length");
    if (length.isPresent() && parseLong(length.get()) > maxBodyBytes) {
      // Refused before a byte of the body is read.
      throw new Problem.Failure(Problem.of(413, Problem.BODY_TOO_LARGE, "The request body is too large."));
    }
    BoundedBody body = new BoundedBody(exchange.getRequestBody(), maxBodyBytes,
        ticker.getAsLong() + readTimeout.toNanos(), ticker);
    MultipartForm form;
    try {
      form = MultipartForm.read(body, boundary, (int) Math.min(maxBodyBytes, EditRequest.MAX_IMAGE_BYTES));
    } finally {
      bodyBytes.increment(body.bytesRead());
    }
    return toRequest(form, admission.requestBuilder());
  }

  /** The result as the response: the image, or the refusal's problem; rate-limit fields either way. */
  private int answer(HttpExchange exchange, String requestId, EditResult result) throws IOException {
    result.quota().ifPresent(q -> RateLimitFields.write(exchange.getResponseHeaders(), q));
    if (result instanceof EditResult.Success success) {
      return send(exchange, requestId, 200, success.mediaType(), success.image());
    }
    return problem(exchange, requestId, Problem.from(((EditResult.Rejected) result).rejection()));
  }

  private static EditRequest toRequest(MultipartForm form, EditRequest.Builder b) throws Problem.Failure {
    b.image(form.image()).prompt(form.field(MultipartForm.PROMPT).orElse(""))
        .negativePrompt(form.field(MultipartForm.NEGATIVE_PROMPT).orElse(""));
    int width = intField(form, "width", EditRequest.DEFAULT_SIDE);
    int height = intField(form, "height", EditRequest.DEFAULT_SIDE);
    b.size(width, height).steps(intField(form, "steps", EditRequest.DEFAULT_STEPS));
    Optional<String> seed = form.field("seed");
    if (seed.isPresent()) {
      b.seed(parseLong(seed.get()));
    }
    Optional<String> guidance = form.field("guidance");
    if (guidance.isPresent()) {
      try {
        double g = Double.parseDouble(guidance.get().trim());
        if (!Double.isFinite(g)) {
          throw new NumberFormatException();
        }
        b.guidanceScale(g);
      } catch (NumberFormatException e) {
        throw new Problem.Failure(Problem.malformed("The part 'guidance' must be a number."));
      }
    }
    return b.build();
  }

  private static int intField(MultipartForm form, String name, int defaultValue) throws Problem.Failure {
    Optional<String> v = form.field(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.get().trim());
    } catch (NumberFormatException e) {
      throw new Problem.Failure(Problem.malformed("The part '" + name + "' must be a whole number."));
    }
  }

  private static long parseLong(String s) throws Problem.Failure {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new Problem.Failure(Problem.malformed("A number in the request is malformed."));
    }
  }

  private int health(HttpExchange exchange, String requestId) throws IOException {
    AdminEndpoints.Answer a = admin.health(draining);
    return send(exchange, requestId, a.status(), "application/json", a.json().getBytes(StandardCharsets.UTF_8));
  }

  private int metrics(HttpExchange exchange, String requestId, String address)
      throws IOException, Problem.Failure {
    Optional<AdminEndpoints.Answer> refused = admin.authorizeMetrics(
        single(exchange.getRequestHeaders(), "X-API-Key").orElse(""), address, requestId);
    if (refused.isPresent()) {
      return admin(exchange, requestId, refused.get());
    }
    return send(exchange, requestId, 200, "text/plain; version=0.0.4; charset=utf-8",
        metricsSource.get().getBytes(StandardCharsets.UTF_8));
  }

  private int admin(HttpExchange exchange, String requestId, String address) throws IOException, Problem.Failure {
    AdminEndpoints.Answer a = admin.handle(exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath().substring("/admin/".length()), exchange.getRequestURI().getRawQuery(),
        single(exchange.getRequestHeaders(), "X-API-Key").orElse(""), address, requestId);
    return admin(exchange, requestId, a);
  }

  private int admin(HttpExchange exchange, String requestId, AdminEndpoints.Answer a) throws IOException {
    if (!a.allow().isEmpty()) {
      exchange.getResponseHeaders().set("Allow", a.allow());
    }
    if (a.retryAfterSeconds() > 0) {
      exchange.getResponseHeaders().set("Retry-After", Long.toString(a.retryAfterSeconds()));
    }
    return send(exchange, requestId, a.status(), a.isProblem() ? Problem.MEDIA_TYPE : "application/json",
        a.json().getBytes(StandardCharsets.UTF_8));
  }

  int methodNotAllowed(HttpExchange exchange, String requestId, String allow) throws IOException {
    exchange.getResponseHeaders().set("Allow", allow);
    return problem(exchange, requestId, methodNotAllowed());
  }

  static Problem methodNotAllowed() {
    return Problem.of(405, Problem.METHOD_NOT_ALLOWED, "This method is not allowed here.");
  }

  /** Writes a problem; Retry-After when the problem gives one. Returns the status. */
  int problem(HttpExchange exchange, String requestId, Problem problem) throws IOException {
    if (problem.retryAfterSeconds() > 0) {
      exchange.getResponseHeaders().set("Retry-After", Long.toString(problem.retryAfterSeconds()));
    }
    return send(exchange, requestId, problem.status(), Problem.MEDIA_TYPE, problem.toJson(requestId));
  }

  /** Writes a whole response with the headers every answer carries. Returns the status. */
  int send(HttpExchange exchange, String requestId, int status, String contentType, byte[] body)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", contentType);
    out.set("X-Request-Id", requestId);
    out.set("Cache-Control", "no-store");
    out.set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(body);
    }
    return status;
  }

  /** The only value of a header; a header sent twice is malformed. */
  static Optional<String> single(Headers headers, String name) throws Problem.Failure {
    List<String> values = headers.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new Problem.Failure(Problem.malformed("The header " + name + " is repeated."));
    }
    return Optional.of(values.get(0));
  }

  void drain() {
    draining = true;
  }

  int inFlight() {
    return inFlight.get();
  }

  /** Waits until no request is in flight or the deadline passes; true when none is. */
  boolean awaitIdle(long deadlineNanos) {
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return inFlight.get() == 0;
        }
      }
      return true;
    }
  }
}
