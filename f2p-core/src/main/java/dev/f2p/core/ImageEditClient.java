package dev.f2p.core;

import dev.f2p.core.internal.EventDispatcher;
import dev.f2p.core.internal.Pipeline;
import dev.f2p.core.internal.RequestValidator;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.AuthenticatorProvider;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.AuthorizerProvider;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.OutputPolicyProvider;
import dev.f2p.core.spi.PolicyProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ProgressListener;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.RateLimiterProvider;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventListenerProvider;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one object a host calls: every {@link EditRequest} goes through request validation,
 * authentication, authorization, rate limit, prompt filter, image validation and the resource guard
 * before the engine runs, and through the output policy after. A refusal comes back as
 * {@link EditResult.Rejected}; {@link #edit} never throws for a policy outcome or an engine fault.
 *
 * <p>Build one and share it: it is thread-safe and holds the loaded engine. {@link #newBuilder()} derives
 * a variant (other policies) sharing the same engine. Close it when the host stops: that closes the
 * engine and every policy it built from settings, and the async executor it made.
 *
 * <pre>{@code
 * ImageEditClient client = ImageEditClient.builder()
 *     .authenticator(keys).rateLimiter(limits).promptFilter(filter)
 *     .imageValidator(validator).resourceGuard(guard).engine(engine)
 *     .build();
 * EditResult result = client.edit(request);
 * }</pre>
 */
public final class ImageEditClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageEditClient.class);

  private final Builder config;
  private final Pipeline pipeline;
  private final RequestValidator requestValidator;
  private final EventDispatcher events;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final List<AutoCloseable> owned;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ImageEditClient(Builder b, List<AutoCloseable> owned) {
    this.config = b;
    this.owned = List.copyOf(owned);
    List<Object> components = components(b);
    this.events = new EventDispatcher(listeners(components));
    this.requestValidator = new RequestValidator();
    this.pipeline = new Pipeline(requestValidator, b.authenticator, b.authorizers, b.rateLimiter, b.promptFilter,
        b.imageValidator, b.resourceGuard, b.engine, b.outputPolicy, events, b.clock, b.nanoTime);
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor = defaultExecutor();
      this.executor = ownedExecutor;
    }
    for (Object component : components) {
      if (component instanceof SecurityEventSource source) {
        source.attach(events);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs the request through the whole pipeline on this thread. Never throws; never returns null. */
  public EditResult edit(EditRequest request) {
    return edit(request, ProgressListener.NONE);
  }

  /** Runs the request, telling {@code progress} after each inference step. */
  public EditResult edit(EditRequest request, ProgressListener progress) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(progress, "progress");
    if (closed.get()) {
      return pipeline.refuse(request, Stage.COMPLETE, Rejection.of(ReasonCode.ENGINE_UNAVAILABLE, "CLIENT_CLOSED",
          ReasonCode.ENGINE_UNAVAILABLE.safeMessage()));
    }
    return pipeline.run(request, progress);
  }

  /**
   * Runs the request on the executor (the host's, or the client's own bounded pool). When the executor
   * refuses the task the future completes with an {@link ReasonCode#OVERLOADED} rejection; the future
   * never completes exceptionally.
   */
  public CompletableFuture<EditResult> editAsync(EditRequest request) {
    return editAsync(request, ProgressListener.NONE);
  }

  /** {@link #editAsync(EditRequest)} with a progress listener. */
  public CompletableFuture<EditResult> editAsync(EditRequest request, ProgressListener progress) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(progress, "progress");
    try {
      return CompletableFuture.supplyAsync(() -> edit(request, progress), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(pipeline.refuse(request, Stage.RESOURCE_GUARD,
          Rejection.of(ReasonCode.OVERLOADED, "QUEUE_FULL", ReasonCode.OVERLOADED.safeMessage())
              .withRetryAfter(java.time.Duration.ofSeconds(1))));
    }
  }

  /**
   * Authenticates {@code presentedKey} and checks that its principal may perform the administrative
   * {@code action} (by default: holds {@link Role#ADMIN}); publishes the decision as security events.
   */
  public Decision<Principal> authorizeAdmin(String presentedKey, String clientAddress, String action) {
    return pipeline.authorizeAdmin(Objects.requireNonNull(presentedKey, "presentedKey"),
        Objects.requireNonNull(clientAddress, "clientAddress"), Objects.requireNonNull(action, "action"));
  }

  /** Publishes an event of the host's own (an admin action it performed) to every listener. */
  public SecurityEventPublisher events() {
    return events;
  }

  /** The id (name and version) of the loaded model. */
  public String modelId() {
    return config.engine.modelId();
  }

  /** Whether the engine can take requests now (loaded, verified, not tampered with). */
  public boolean isEngineAvailable() {
    return !closed.get() && config.engine.isAvailable();
  }

  /**
   * A builder with this client's policies and engine, to derive a variant. The derived client shares the
   * engine and the settings-built policies; only the client that built them closes them.
   */
  public Builder newBuilder() {
    return config.copy();
  }

  /** Closes the engine, the policies this client built from settings and its own executor. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
      try {
        if (!ownedExecutor.awaitTermination(30, TimeUnit.SECONDS)) {
          ownedExecutor.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedExecutor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", resource.getClass().getName(), e);
      }
    }
    requestValidator.close();
  }

  private static ExecutorService defaultExecutor() {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "f2p-async-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64 * threads),
        factory, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Every policy once, the listeners first (in the order added), so events reach them in that order. */
  private static List<Object> components(Builder b) {
    List<Object> all = new ArrayList<>(b.listeners);
    all.addAll(List.of(b.authenticator, b.rateLimiter, b.promptFilter, b.imageValidator, b.resourceGuard, b.engine,
        b.outputPolicy));
    all.addAll(b.authorizers);
    Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    all.removeIf(o -> !seen.add(o));
    return all;
  }

  /**
   * The listeners, and every other policy that is also a {@link SecurityEventListener} (as policies that are a
   * {@link SecurityEventSource} are given the publisher): a feature such as incident control that both
   * decides and watches is registered once.
   */
  private static List<SecurityEventListener> listeners(List<Object> components) {
    List<SecurityEventListener> listeners = new ArrayList<>();
    for (Object component : components) {
      if (component instanceof SecurityEventListener listener) {
        listeners.add(listener);
      }
    }
    return listeners;
  }

  /**
   * Builds an {@link ImageEditClient}. Required: an authenticator, a rate limiter, a prompt filter, an
   * image validator, a resource guard and an engine, each set explicitly or by {@link #configure(Map)};
   * a host that limits or filters elsewhere opts out explicitly ({@link RateLimiter#unlimited()},
   * {@link PromptFilter#acceptAll()}, {@link ResourceGuard#unguarded}). Defaults: the authorizer
   * {@link Authorizer#standardRoles()}; the output policy {@link OutputPolicy#plainPng()} (logged as a
   * warning: outputs leave unlabelled). Setting a single-valued option twice is an error. Not thread-safe.
   */
  public static final class Builder {
    private Authenticator authenticator;
    private final List<Authorizer> authorizers = new ArrayList<>();
    private RateLimiter rateLimiter;
    private PromptFilter promptFilter;
    private ImageValidator imageValidator;
    private ResourceGuard resourceGuard;
    private ImageEditEngine engine;
    private OutputPolicy outputPolicy;
    private final List<SecurityEventListener> listeners = new ArrayList<>();
    private Executor executor;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;
    private final List<AutoCloseable> built = new ArrayList<>();

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.authenticator = authenticator;
      b.authorizers.addAll(authorizers);
      b.rateLimiter = rateLimiter;
      b.promptFilter = promptFilter;
      b.imageValidator = imageValidator;
      b.resourceGuard = resourceGuard;
      b.engine = engine;
      b.outputPolicy = outputPolicy;
      b.listeners.addAll(listeners);
      b.executor = executor;
      b.clock = clock;
      b.nanoTime = nanoTime;
      return b;
    }

    /** Who is calling. Required. */
    public Builder authenticator(Authenticator authenticator) {
      requireUnset(this.authenticator, "authenticator");
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /** Adds an authorizer; every one must allow. Replaces the default {@link Authorizer#standardRoles()}. */
    public Builder addAuthorizer(Authorizer authorizer) {
      authorizers.add(Objects.requireNonNull(authorizer, "authorizer"));
      return this;
    }

    /** How often. Required ({@link RateLimiter#unlimited()} to opt out). */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      requireUnset(this.rateLimiter, "rateLimiter");
      this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
      return this;
    }

    /** What text. Required ({@link PromptFilter#acceptAll()} to opt out). */
    public Builder promptFilter(PromptFilter promptFilter) {
      requireUnset(this.promptFilter, "promptFilter");
      this.promptFilter = Objects.requireNonNull(promptFilter, "promptFilter");
      return this;
    }

    /** What bytes. Required. */
    public Builder imageValidator(ImageValidator imageValidator) {
      requireUnset(this.imageValidator, "imageValidator");
      this.imageValidator = Objects.requireNonNull(imageValidator, "imageValidator");
      return this;
    }

    /** Is there room. Required ({@link ResourceGuard#unguarded} to opt out). */
    public Builder resourceGuard(ResourceGuard resourceGuard) {
      requireUnset(this.resourceGuard, "resourceGuard");
      this.resourceGuard = Objects.requireNonNull(resourceGuard, "resourceGuard");
      return this;
    }

    /** The model. Required. The client closes it when it closes. */
    public Builder engine(ImageEditEngine engine) {
      requireUnset(this.engine, "engine");
      this.engine = Objects.requireNonNull(engine, "engine");
      built.add(engine);
      return this;
    }

    /** Labels and encodes outputs. Default {@link OutputPolicy#plainPng()}. */
    public Builder outputPolicy(OutputPolicy outputPolicy) {
      requireUnset(this.outputPolicy, "outputPolicy");
      this.outputPolicy = Objects.requireNonNull(outputPolicy, "outputPolicy");
      return this;
    }

    /** Adds a listener told of every security event. */
    public Builder addListener(SecurityEventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Where {@link #editAsync} runs; the host keeps ownership. Default: a bounded pool the client owns. */
    public Builder executor(Executor executor) {
      requireUnset(this.executor, "executor");
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The clock for timestamps and deadlines. A test seam; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The nanosecond ticker latencies are measured on. A test seam; default {@link System#nanoTime()}. */
    public Builder ticker(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * Builds the policies named in {@code settings} through {@link java.util.ServiceLoader}: for each SPI a
     * setting names the provider ({@code f2p.authenticator=api-key}) and the settings under its name are
     * that provider's ({@code f2p.authenticator.file=keys.json}). Names: {@code f2p.authenticator},
     * {@code f2p.authorizers} (comma list), {@code f2p.rate-limiter}, {@code f2p.prompt-filter},
     * {@code f2p.image-validator}, {@code f2p.resource-guard}, {@code f2p.engine},
     * {@code f2p.output-policy}, {@code f2p.listeners} (comma list; settings under
     * {@code f2p.listener.<name>}). Policies built here that are {@link AutoCloseable} are closed with the
     * client. Fails at once, naming the setting, when a provider is missing or cannot build.
     */
    public Builder configure(Map<String, String> settings) {
      return configure(PolicySettings.of(settings));
    }

    /**
     * {@link #configure(Map)} over settings the host made, so it can register shared objects before the
     * providers run ({@link PolicySettings#shared}) and find what they built afterwards
     * ({@link PolicySettings#findShared}).
     */
    public Builder configure(PolicySettings settings) {
      PolicySettings all = settings.scope("f2p");
      all.get("authenticator").ifPresent(n ->
          authenticator(create(AuthenticatorProvider.class, n, all.scope("authenticator"))));
      for (String n : all.getList("authorizers")) {
        addAuthorizer(create(AuthorizerProvider.class, n, all.scope("authorizer." + n)));
      }
      all.get("rate-limiter").ifPresent(n ->
          rateLimiter(create(RateLimiterProvider.class, n, all.scope("rate-limiter"))));
      all.get("prompt-filter").ifPresent(n ->
          promptFilter(create(PromptFilterProvider.class, n, all.scope("prompt-filter"))));
      all.get("image-validator").ifPresent(n ->
          imageValidator(create(ImageValidatorProvider.class, n, all.scope("image-validator"))));
      all.get("resource-guard").ifPresent(n ->
          resourceGuard(create(ResourceGuardProvider.class, n, all.scope("resource-guard"))));
      all.get("engine").ifPresent(n -> engine(create(ImageEditEngineProvider.class, n, all.scope("engine"))));
      all.get("output-policy").ifPresent(n ->
          outputPolicy(create(OutputPolicyProvider.class, n, all.scope("output-policy"))));
      for (String n : all.getList("listeners")) {
        addListener(create(SecurityEventListenerProvider.class, n, all.scope("listener." + n)));
      }
      return this;
    }

    private <T, P extends PolicyProvider<T>> T create(Class<P> type, String name, PolicySettings settings) {
      T policy = PolicyProviders.create(type, name, settings);
      if (policy instanceof AutoCloseable closeable && !built.contains(closeable)) {
        built.add(closeable);
      }
      return policy;
    }

    /**
     * Builds the client. Fails listing every missing required policy; with the engine it checks that
     * the model is loaded.
     */
    public ImageEditClient build() {
      Map<String, Object> required = new LinkedHashMap<>();
      required.put("authenticator", authenticator);
      required.put("rateLimiter (RateLimiter.unlimited() to opt out)", rateLimiter);
      required.put("promptFilter (PromptFilter.acceptAll() to opt out)", promptFilter);
      required.put("imageValidator", imageValidator);
      required.put("resourceGuard (ResourceGuard.unguarded(...) to opt out)", resourceGuard);
      required.put("engine", engine);
      List<String> missing = new ArrayList<>();
      required.forEach((name, value) -> {
        if (value == null) {
          missing.add(name);
        }
      });
      if (!missing.isEmpty()) {
        throw new IllegalStateException("ImageEditClient needs: " + String.join(", ", missing));
      }
      if (authorizers.isEmpty()) {
        authorizers.add(Authorizer.standardRoles());
      }
      if (outputPolicy == null) {
        LOG.warn("no output policy set: outputs leave as plain PNG, unlabelled and unwatermarked "
            + "(add f2p-provenance to label them)");
        outputPolicy = OutputPolicy.plainPng();
      }
      // A derived builder starts with an empty list: it closes only what it built itself.
      return new ImageEditClient(this, built);
    }

    private static void requireUnset(Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
