package dev.f2p.core.internal;

import dev.f2p.core.ClientAddress;
import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.OutputContext;
import dev.f2p.core.spi.OutputImage;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.ProgressListener;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.StageObserver;
import dev.f2p.core.spi.ValidatedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request through the stages in DESIGN.md's fixed order, cheapest refusal first, and stops at
 * the first refusal. Fails closed: a stage that throws or returns null refuses with its own reason and
 * the log names the policy. Every request ends with exactly one {@link Stage#COMPLETE} event, plus one
 * event per refusal; the lease is released on every path. Thread-safe: all per-request state lives in
 * a {@link Trace}.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final int MAX_LOGGED_ADDRESS = 64;
  private static final Pattern UNSAFE_ADDRESS_CHARS = Pattern.compile("[^0-9A-Za-z.:%/\\[\\]_-]");
  private static final Rejection INVALID_ADDRESS = Rejection.of(ReasonCode.INVALID_REQUEST,
      ClientAddress.INVALID_ADDRESS, "The client address is not an IP address.");

  private final RequestValidator requestValidator;
  private final Authenticator authenticator;
  private final List<Authorizer> authorizers;
  private final RateLimiter rateLimiter;
  private final PromptFilter promptFilter;
  private final ImageValidator imageValidator;
  private final ResourceGuard resourceGuard;
  private final ImageEditEngine engine;
  private final OutputPolicy outputPolicy;
  private final EventDispatcher events;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Fingerprints fingerprints;
  private final int ipv6Prefix;
  private final List<StageObserver> observers;

  /** A pipeline whose events carry fingerprints under {@code fingerprints}' key. */
  public Pipeline(Fingerprints fingerprints,
      RequestValidator requestValidator,
      Authenticator authenticator,
      List<Authorizer> authorizers,
      RateLimiter rateLimiter,
      PromptFilter promptFilter,
      ImageValidator imageValidator,
      ResourceGuard resourceGuard,
      ImageEditEngine engine,
      OutputPolicy outputPolicy,
      EventDispatcher events,
      Clock clock,
      LongSupplier nanoTime,
      int ipv6Prefix,
      List<StageObserver> observers) {
    this.requestValidator = requestValidator;
    this.authenticator = authenticator;
    this.authorizers = List.copyOf(authorizers);
    this.rateLimiter = rateLimiter;
    this.promptFilter = promptFilter;
    this.imageValidator = imageValidator;
    this.resourceGuard = resourceGuard;
    this.engine = engine;
    this.outputPolicy = outputPolicy;
    this.events = events;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.fingerprints = fingerprints;
    this.ipv6Prefix = ipv6Prefix;
    this.observers = List.copyOf(observers);
  }

  /** Runs the request, everything at once; never throws. */
  public EditResult run(EditRequest request, ProgressListener progress) {
    Trace t = new Trace(request.requestId(), request.clientAddress(), nanoTime.getAsLong());
    try {
      Decision<EditRequest> valid = validate(t, request, requestValidator::check);
      if (valid instanceof Decision.Rejected<EditRequest> r) {
        return reject(t, Stage.REQUEST_VALIDATION, r.rejection());
      }
      EditRequest subject = ((Decision.Allowed<EditRequest>) valid).value();
      fingerprintPrompt(t, subject);
      Optional<EditResult.Rejected> refused = admitStages(t, subject);
      return refused.isPresent() ? refused.get() : bodyStages(t, subject, progress);
    } catch (RuntimeException | Error e) {
      return fault(t, e);
    }
  }

  /**
   * Admits a request on its headers alone ({@code shape}: key, address, id, size, steps; no body): the
   * same validation of those parts, authentication, authorization and rate limit, with the same events,
   * as {@link #run}. Never throws.
   */
  public Ticket admit(EditRequest shape) {
    Trace t = new Trace(shape.requestId(), shape.clientAddress(), nanoTime.getAsLong());
    try {
      Decision<EditRequest> valid = validate(t, shape, requestValidator::checkAdmission);
      if (valid instanceof Decision.Rejected<EditRequest> r) {
        return new Ticket(t, shape, shape, reject(t, Stage.REQUEST_VALIDATION, r.rejection()));
      }
      EditRequest subject = ((Decision.Allowed<EditRequest>) valid).value();
      return new Ticket(t, shape, subject, admitStages(t, subject).orElse(null));
    } catch (RuntimeException | Error e) {
      return new Ticket(t, shape, shape, fault(t, e));
    }
  }

  /** An admission refused before it entered the pipeline (the client is closed). */
  public Ticket refuseAdmission(EditRequest shape, Rejection rejection) {
    Trace t = new Trace(shape.requestId(), shape.clientAddress(), nanoTime.getAsLong());
    return new Ticket(t, shape, shape, reject(t, Stage.COMPLETE, rejection));
  }

  /** A request refused before it entered the pipeline (an async queue was full). */
  public EditResult refuse(EditRequest request, Stage stage, Rejection rejection) {
    return reject(new Trace(request.requestId(), request.clientAddress(), nanoTime.getAsLong()), stage, rejection);
  }

  private EditResult.Rejected fault(Trace t, Throwable e) {
    LOG.error("request {}: pipeline fault; rejecting", t.requestId, e);
    return reject(t, Stage.COMPLETE, Rejection.of(ReasonCode.ENGINE_FAILURE, "INTERNAL_ERROR",
        ReasonCode.ENGINE_FAILURE.safeMessage()));
  }

  /**
   * Request validation: {@code check}'s constraints, then the client address, which must be an IP
   * literal. Allowed decisions hand on the request with its address replaced by the address's subject
   * (canonical; an IPv6 one aggregated to its prefix), which is what every later stage and event sees.
   */
  private Decision<EditRequest> validate(Trace t, EditRequest request, Function<EditRequest, Optional<Rejection>> check) {
    return decide(t, Stage.REQUEST_VALIDATION, ReasonCode.INVALID_REQUEST, requestValidator, () -> {
      Optional<Rejection> violation = check.apply(request);
      if (violation.isPresent()) {
        return Decision.reject(violation.get());
      }
      Optional<ClientAddress> address = ClientAddress.parse(request.clientAddress());
      if (address.isEmpty()) {
        return Decision.reject(INVALID_ADDRESS);
      }
      String subject = address.get().subject(ipv6Prefix);
      t.address = subject;
      return Decision.allow(subject.equals(request.clientAddress()) ? request
          : request.toBuilder().clientAddress(subject).build());
    });
  }

  private void fingerprintPrompt(Trace t, EditRequest request) {
    if (events.hasListeners()) {
      t.promptFingerprint = fingerprints.prompt(request.prompt());
    }
  }

  /** Authentication, authorization, rate limit: what the headers alone decide. Empty when admitted. */
  private Optional<EditResult.Rejected> admitStages(Trace t, EditRequest request) {
    Rejection unheard = refusedBeforeAuthentication(t, request.clientAddress(), false);
    if (unheard != null) {
      return Optional.of(reject(t, Stage.AUTHENTICATION, unheard));
    }
    Decision<Principal> authenticated = decide(t, Stage.AUTHENTICATION, ReasonCode.UNAUTHENTICATED, authenticator,
        () -> authenticator.authenticate(request.apiKey(), request.clientAddress()));
    if (!(authenticated instanceof Decision.Allowed<Principal> a)) {
      return Optional.of(reject(t, Stage.AUTHENTICATION, ((Decision.Rejected<Principal>) authenticated).rejection()));
    }
    Principal principal = a.value();
    t.principal = principal;

    Optional<EditResult.Rejected> forbidden = authorize(t, request);
    if (forbidden.isPresent()) {
      return forbidden;
    }

    Decision<Quota> quota = decide(t, Stage.RATE_LIMIT, ReasonCode.RATE_LIMITED, rateLimiter,
        () -> rateLimiter.tryAcquire(principal, request.clientAddress()));
    if (!(quota instanceof Decision.Allowed<Quota> q)) {
      return Optional.of(reject(t, Stage.RATE_LIMIT, ((Decision.Rejected<Quota>) quota).rejection()));
    }
    t.quota = q.value();
    return Optional.empty();
  }

  private Optional<EditResult.Rejected> authorize(Trace t, EditRequest request) {
    for (Authorizer authorizer : authorizers) {
      Decision<Principal> authorized = decide(t, Stage.AUTHORIZATION, ReasonCode.FORBIDDEN, authorizer,
          () -> authorizer.authorize(t.authenticated(), request));
      if (authorized instanceof Decision.Rejected<Principal> r) {
        return Optional.of(reject(t, Stage.AUTHORIZATION, r.rejection()));
      }
    }
    return Optional.empty();
  }

  /** The body of an admitted request: validated whole, authorized again if it asks for more than was admitted. */
  private EditResult complete(Trace t, EditRequest admitted, EditRequest request, ProgressListener progress) {
    try {
      Decision<EditRequest> valid = validate(t, request, requestValidator::check);
      if (valid instanceof Decision.Rejected<EditRequest> r) {
        return reject(t, Stage.REQUEST_VALIDATION, r.rejection());
      }
      EditRequest subject = ((Decision.Allowed<EditRequest>) valid).value();
      fingerprintPrompt(t, subject);
      if (subject.width() != admitted.width() || subject.height() != admitted.height()
          || subject.steps() != admitted.steps()) {
        Optional<EditResult.Rejected> forbidden = authorize(t, subject);
        if (forbidden.isPresent()) {
          return forbidden.get();
        }
      }
      return bodyStages(t, subject, progress);
    } catch (RuntimeException | Error e) {
      return fault(t, e);
    }
  }

  private EditResult bodyStages(Trace t, EditRequest request, ProgressListener progress) {
    Principal principal = t.authenticated();
    // Only now, for a caller who is known and within quota, is hashing the image worth it.
    byte[] imageBytes = request.image();
    if (events.hasListeners()) {
      t.imageFingerprint = fingerprints.image(imageBytes);
    }

    Decision<String> prompt = decide(t, Stage.PROMPT_FILTER, ReasonCode.PROMPT_REJECTED, promptFilter,
        () -> promptFilter.check(request.prompt(), principal));
    if (!(prompt instanceof Decision.Allowed<String> cleanPrompt)) {
      return reject(t, Stage.PROMPT_FILTER, ((Decision.Rejected<String>) prompt).rejection());
    }
    String negativePrompt = "";
    if (!request.negativePrompt().isEmpty()) {
      Decision<String> negative = decide(t, Stage.PROMPT_FILTER, ReasonCode.PROMPT_REJECTED, promptFilter,
          () -> promptFilter.checkNegative(request.negativePrompt(), cleanPrompt.value(), principal));
      if (!(negative instanceof Decision.Allowed<String> cleanNegative)) {
        return reject(t, Stage.PROMPT_FILTER, ((Decision.Rejected<String>) negative).rejection());
      }
      negativePrompt = cleanNegative.value();
    }

    Decision<ValidatedImage> image = decide(t, Stage.IMAGE_VALIDATION, ReasonCode.IMAGE_REJECTED, imageValidator,
        () -> imageValidator.validate(imageBytes, principal));
    if (!(image instanceof Decision.Allowed<ValidatedImage> validImage)) {
      return reject(t, Stage.IMAGE_VALIDATION, ((Decision.Rejected<ValidatedImage>) image).rejection());
    }

    Decision<Lease> admitted = decide(t, Stage.RESOURCE_GUARD, ReasonCode.OVERLOADED, resourceGuard,
        () -> resourceGuard.acquire(principal, request));
    if (!(admitted instanceof Decision.Allowed<Lease> leased)) {
      return reject(t, Stage.RESOURCE_GUARD, ((Decision.Rejected<Lease>) admitted).rejection());
    }
    Decision<GeneratedImage> generated;
    Lease lease = leased.value();
    try {
      EngineRequest engineRequest = new EngineRequest(t.requestId, validImage.value().pixels(),
          cleanPrompt.value(), negativePrompt, request.width(), request.height(), request.steps(),
          request.guidanceScale(), request.seed(), lease.deadline(), clock, safe(progress, t), lease.device());
      generated = runEngine(t, engineRequest, lease);
    } finally {
      release(t, lease);
    }
    if (!(generated instanceof Decision.Allowed<GeneratedImage> output)) {
      return reject(t, Stage.ENGINE, ((Decision.Rejected<GeneratedImage>) generated).rejection());
    }

    OutputContext context = new OutputContext(t.requestId, principal, validImage.value());
    Decision<OutputImage> released = decide(t, Stage.OUTPUT, ReasonCode.OUTPUT_REJECTED, outputPolicy,
        () -> outputPolicy.apply(output.value(), context));
    if (!(released instanceof Decision.Allowed<OutputImage> out)) {
      return reject(t, Stage.OUTPUT, ((Decision.Rejected<OutputImage>) released).rejection());
    }
    OutputImage result = out.value();
    Duration elapsed = t.elapsed();
    if (events.hasListeners()) {
      events.publish(event(t, Stage.COMPLETE, Outcome.ALLOWED).latency(elapsed).stageLatencies(t.stageLatencies)
          .build());
    }
    return new EditResult.Success(t.requestId, result.bytes(), result.mediaType(), result.width(), result.height(),
        output.value().modelId(), elapsed, t.stageLatencies, t.attributes, t.quota);
  }

  private Decision<GeneratedImage> runEngine(Trace t, EngineRequest request, Lease lease) {
    List<StageObserver.Span> spans = startSpans(Stage.ENGINE, t.requestId);
    Decision<GeneratedImage> decision = null;
    try {
      decision = callEngine(t, request, lease);
      return decision;
    } finally {
      endSpans(spans, decision, ReasonCode.ENGINE_FAILURE);
    }
  }

  private Decision<GeneratedImage> callEngine(Trace t, EngineRequest request, Lease lease) {
    long start = nanoTime.getAsLong();
    try {
      if (!engine.isAvailable()) {
        return Decision.reject(ReasonCode.ENGINE_UNAVAILABLE);
      }
      GeneratedImage image = engine.edit(request);
      if (image == null) {
        LOG.error("request {}: engine {} returned null; rejecting", t.requestId, engine.getClass().getName());
        quietly(lease::engineFailed, t);
        return Decision.reject(ReasonCode.ENGINE_FAILURE);
      }
      if (request.isPastDeadline()) {
        // An engine that ignores its deadline does not get to release a late result.
        LOG.warn("request {}: engine finished after the deadline; result discarded", t.requestId);
        return Decision.reject(ReasonCode.TIMEOUT);
      }
      quietly(lease::engineSucceeded, t);
      return Decision.allow(image);
    } catch (EngineException e) {
      if (e.reason() == ReasonCode.ENGINE_FAILURE) {
        LOG.error("request {}: engine failed", t.requestId, e);
        quietly(lease::engineFailed, t);
      } else {
        LOG.warn("request {}: engine refused with {}: {}", t.requestId, e.reason(), e.getMessage());
      }
      return Decision.reject(Rejection.of(e.reason()).withRetryAfter(e.retryAfter()));
    } catch (RuntimeException | Error e) {
      LOG.error("request {}: engine {} threw; rejecting", t.requestId, engine.getClass().getName(), e);
      quietly(lease::engineFailed, t);
      return Decision.reject(ReasonCode.ENGINE_FAILURE);
    } finally {
      t.addLatency(Stage.ENGINE, nanoTime.getAsLong() - start);
    }
  }

  /**
   * Authenticates and authorizes an administrative action (revoke, suspend, lockdown), publishing the
   * same events a request would.
   */
  public Decision<Principal> authorizeAdmin(String presentedKey, String clientAddress, String action) {
    Trace t = new Trace(UUID.randomUUID().toString(), clientAddress, nanoTime.getAsLong());
    Optional<ClientAddress> address = ClientAddress.parse(clientAddress);
    if (address.isEmpty()) {
      publishRejection(t, Stage.REQUEST_VALIDATION, INVALID_ADDRESS);
      return Decision.reject(INVALID_ADDRESS);
    }
    String subject = address.get().subject(ipv6Prefix);
    t.address = subject;
    // The admin variant: a lockdown for everyone refuses edits before authentication, never an admin's way out.
    Rejection unheard = refusedBeforeAuthentication(t, subject, true);
    if (unheard != null) {
      publishRejection(t, Stage.AUTHENTICATION, unheard);
      return Decision.reject(unheard);
    }
    Decision<Principal> authenticated = decide(t, Stage.AUTHENTICATION, ReasonCode.UNAUTHENTICATED, authenticator,
        () -> authenticator.authenticate(presentedKey, subject));
    if (!(authenticated instanceof Decision.Allowed<Principal> a)) {
      publishRejection(t, Stage.AUTHENTICATION, ((Decision.Rejected<Principal>) authenticated).rejection());
      return authenticated;
    }
    t.principal = a.value();
    for (Authorizer authorizer : authorizers) {
      Decision<Principal> authorized = decide(t, Stage.AUTHORIZATION, ReasonCode.FORBIDDEN, authorizer,
          () -> authorizer.authorizeAdmin(a.value(), action));
      if (authorized instanceof Decision.Rejected<Principal> r) {
        publishRejection(t, Stage.AUTHORIZATION, r.rejection());
        return authorized;
      }
    }
    if (events.hasListeners()) {
      events.publish(event(t, Stage.AUTHORIZATION, Outcome.ALLOWED).detail("ADMIN_ACTION")
          .attribute("admin.action", action).latency(t.elapsed()).build());
    }
    return authenticated;
  }

  /** The first authorizer's refusal on the address alone, or null: asked before any key is hashed. */
  private @Nullable Rejection refusedBeforeAuthentication(Trace t, String clientAddress, boolean admin) {
    for (Authorizer authorizer : authorizers) {
      Decision<String> heard = decide(t, Stage.AUTHENTICATION, ReasonCode.FORBIDDEN, authorizer,
          () -> admin ? authorizer.beforeAdminAuthentication(clientAddress)
              : authorizer.beforeAuthentication(clientAddress));
      if (heard instanceof Decision.Rejected<String> r) {
        return r.rejection();
      }
    }
    return null;
  }

  private <T> Decision<T> decide(Trace t, Stage stage, ReasonCode failure, Object policy, Supplier<Decision<T>> call) {
    long start = nanoTime.getAsLong();
    List<StageObserver.Span> spans = startSpans(stage, t.requestId);
    Decision<T> decision = null;
    try {
      decision = call.get();
      if (decision == null) {
        LOG.error("request {}: {} policy {} returned null; rejecting", t.requestId, stage, policy.getClass().getName());
        decision = Decision.reject(internalError(failure));
      }
    } catch (RuntimeException | Error e) {
      LOG.error("request {}: {} policy {} threw; rejecting", t.requestId, stage, policy.getClass().getName(), e);
      decision = Decision.reject(internalError(failure));
    } finally {
      endSpans(spans, decision, failure);
    }
    t.addLatency(stage, nanoTime.getAsLong() - start);
    t.attributes.putAll(decision.attributes());
    return decision;
  }

  /** Starts a span per observer; none, and no allocation, without observers. */
  private List<StageObserver.Span> startSpans(Stage stage, String requestId) {
    if (observers.isEmpty()) {
      return List.of();
    }
    List<StageObserver.Span> spans = new ArrayList<>(observers.size());
    for (StageObserver observer : observers) {
      try {
        StageObserver.Span span = observer.start(stage, requestId);
        if (span != null) {
          spans.add(span);
        }
      } catch (RuntimeException e) {
        LOG.warn("request {}: stage observer {} threw at the start of {}; ignored", requestId,
            observer.getClass().getName(), stage, e);
      }
    }
    return spans;
  }

  /** Ends the spans with the decision's outcome and reason; no decision (an Error) ends as {@code failure}. */
  private static void endSpans(List<StageObserver.Span> spans, @Nullable Decision<?> decision, ReasonCode failure) {
    if (spans.isEmpty()) {
      return;
    }
    Optional<ReasonCode> reason = decision instanceof Decision.Allowed<?> ? Optional.empty()
        : Optional.of(decision instanceof Decision.Rejected<?> r ? r.rejection().reason() : failure);
    Outcome outcome = reason.isEmpty() ? Outcome.ALLOWED : Outcome.REJECTED;
    for (StageObserver.Span span : spans) {
      try {
        span.end(outcome, reason);
      } catch (RuntimeException e) {
        LOG.warn("stage observer span {} threw at its end; ignored", span.getClass().getName(), e);
      }
    }
  }

  private static Rejection internalError(ReasonCode reason) {
    return Rejection.of(reason, "INTERNAL_ERROR", reason.safeMessage());
  }

  private EditResult.Rejected reject(Trace t, Stage stage, Rejection rejection) {
    Rejection withQuota = rejection.quota().isEmpty() && t.quota != Quota.NONE ? rejection.withQuota(t.quota) : rejection;
    publishRejection(t, stage, withQuota);
    return new EditResult.Rejected(t.requestId, withQuota, t.elapsed());
  }

  private void publishRejection(Trace t, Stage stage, Rejection rejection) {
    if (!events.hasListeners()) {
      return;
    }
    Duration elapsed = t.elapsed();
    if (stage != Stage.COMPLETE) {
      events.publish(event(t, stage, Outcome.REJECTED).rejection(rejection)
          .latency(t.stageLatencies.getOrDefault(stage, Duration.ZERO)).build());
    }
    events.publish(event(t, Stage.COMPLETE, Outcome.REJECTED).rejection(rejection).latency(elapsed)
        .stageLatencies(t.stageLatencies).build());
  }

  private SecurityEvent.Builder event(Trace t, Stage stage, Outcome outcome) {
    SecurityEvent.Builder b = SecurityEvent.builder(stage, outcome)
        .timestamp(clock.instant())
        .requestId(t.requestId)
        .clientAddress(t.address)
        .severity(outcome == Outcome.REJECTED ? Severity.WARN : Severity.INFO);
    if (t.principal != null) {
      b.principal(t.principal);
    }
    if (t.imageFingerprint != null) {
      b.imageFingerprint(t.imageFingerprint);
    }
    if (t.promptFingerprint != null) {
      b.promptFingerprint(t.promptFingerprint);
    }
    t.attributes.forEach((name, value) -> {
      try {
        b.attribute(name, value);
      } catch (IllegalArgumentException e) {
        LOG.warn("request {}: dropped event attribute with an invalid name", t.requestId);
      }
    });
    return b;
  }

  private void release(Trace t, Lease lease) {
    try {
      lease.close();
    } catch (RuntimeException e) {
      LOG.error("request {}: lease {} threw on close", t.requestId, lease.getClass().getName(), e);
    }
  }

  private static void quietly(Runnable action, Trace t) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.error("request {}: lease callback threw", t.requestId, e);
    }
  }

  private static ProgressListener safe(ProgressListener progress, Trace t) {
    if (progress == ProgressListener.NONE) {
      return progress;
    }
    return (step, total) -> {
      try {
        progress.onStep(step, total);
      } catch (RuntimeException e) {
        LOG.warn("request {}: progress listener threw; ignored", t.requestId, e);
      }
    };
  }

  /**
   * One request's state while it runs; used by one thread at a time (an admission hands it to the thread
   * that completes it through {@link Ticket}'s atomic state, which orders the writes before the reads).
   */
  private final class Trace {
    final String requestId;
    /** The address's subject once validated; before that the raw address, made safe to log. */
    String address;
    final long startNanos;
    final Map<Stage, Duration> stageLatencies = new EnumMap<>(Stage.class);
    final Map<String, String> attributes = new LinkedHashMap<>();
    @Nullable Principal principal;
    Quota quota = Quota.NONE;
    @Nullable String imageFingerprint;
    @Nullable String promptFingerprint;

    Trace(String requestId, String address, long startNanos) {
      // An invalid request id or address must not reach logs unbounded or with control characters.
      this.requestId = RequestValidator.isSafeId(requestId) ? requestId : UUID.randomUUID().toString();
      // Pipeline.validate replaces it with the canonical subject; only an invalid one is ever logged raw.
      String a = address.length() <= MAX_LOGGED_ADDRESS && address.chars().allMatch(Trace::isSafeAddressChar)
          ? address : UNSAFE_ADDRESS_CHARS.matcher(address).replaceAll("?");
      this.address = a.length() > MAX_LOGGED_ADDRESS ? a.substring(0, MAX_LOGGED_ADDRESS) : a;
      this.startNanos = startNanos;
    }

    private static boolean isSafeAddressChar(int c) {
      return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || ".:%/[]_-".indexOf(c) >= 0;
    }

    void addLatency(Stage stage, long nanos) {
      stageLatencies.merge(stage, Duration.ofNanos(Math.max(0, nanos)), Duration::plus);
    }

    /** The principal authentication set; the stages after it run only once it has. */
    Principal authenticated() {
      return Objects.requireNonNull(principal, "not authenticated");
    }

    Duration elapsed() {
      return Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - startNanos));
    }
  }

  /**
   * One admission: refused (with its result) or admitted and open until completed or abandoned, once.
   * Thread-safe.
   */
  public final class Ticket {
    private static final int OPEN = 0;
    private static final int DONE = 1;

    private final Trace trace;
    private final EditRequest shape;
    private final EditRequest admitted;
    private final Optional<EditResult.Rejected> refusal;
    private final AtomicInteger state = new AtomicInteger(-1);

    Ticket(Trace trace, EditRequest shape, EditRequest admitted, EditResult.@Nullable Rejected refusal) {
      this.trace = trace;
      this.shape = shape;
      this.admitted = admitted;
      this.refusal = Optional.ofNullable(refusal);
      state.set(OPEN); // last: publishes the trace's writes to whichever thread completes
    }

    /** Whether the request may go on to its body. */
    public boolean admitted() {
      return refusal.isEmpty();
    }

    /** The refusal, as the result the host answers with; empty when admitted. */
    public Optional<EditResult.Rejected> refusal() {
      return refusal;
    }

    /** The admission request as the host gave it (raw address). */
    public EditRequest shape() {
      return shape;
    }

    /** The request id events carry. */
    public String requestId() {
      return trace.requestId;
    }

    /** Who was authenticated, if anyone. */
    public Optional<Principal> principal() {
      return state.get() >= OPEN ? Optional.ofNullable(trace.principal) : Optional.empty();
    }

    /** The quota the rate limiter reported at admission, if any. */
    public Optional<Quota> quota() {
      return state.get() >= OPEN && trace.quota != Quota.NONE ? Optional.of(trace.quota) : Optional.empty();
    }

    /** Runs the body stages once; the refusal for a refused admission. */
    public EditResult complete(EditRequest request, ProgressListener progress) {
      if (refusal.isPresent()) {
        return refusal.get();
      }
      if (!request.apiKey().equals(shape.apiKey()) || !request.clientAddress().equals(shape.clientAddress())
          || !request.requestId().equals(shape.requestId())) {
        throw new IllegalArgumentException("the request's key, client address or request id is not the admitted one");
      }
      take();
      return Pipeline.this.complete(trace, admitted, request, progress);
    }

    /** Ends an open admission with {@code why}; the refusal for a refused admission. */
    public EditResult.Rejected abandon(Rejection why) {
      if (refusal.isPresent()) {
        return refusal.get();
      }
      take();
      return reject(trace, Stage.COMPLETE, why);
    }

    /** Abandons with {@code why} if still open; otherwise nothing. */
    public void closeQuietly(Rejection why) {
      if (refusal.isEmpty() && state.compareAndSet(OPEN, DONE)) {
        reject(trace, Stage.COMPLETE, why);
      }
    }

    private void take() {
      if (!state.compareAndSet(OPEN, DONE)) {
        throw new IllegalStateException("admission " + trace.requestId + " was already completed or abandoned");
      }
    }
  }
}
