package dev.f2p.core;

import dev.f2p.core.internal.EventDispatcher;
import dev.f2p.core.internal.Fingerprints;
import dev.f2p.core.internal.GuardFit;
import dev.f2p.core.internal.Providers;
import dev.f2p.core.internal.Pipeline;
import dev.f2p.core.internal.RequestValidator;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ProgressListener;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.StageObserver;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
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
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
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
  /** The resource guard provider whose defaults guard an engine that declares its capacity. */
  private static final String DEFAULT_GUARD = "standard";

  private final Configuration config;
  private final Pipeline pipeline;
  private final RequestValidator requestValidator;
  private final EventDispatcher events;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final List<AutoCloseable> owned;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ImageEditClient(Configuration b, List<AutoCloseable> owned, Set<Object> inherited) {
    this.config = b;
    this.owned = List.copyOf(owned);
    List<Object> components = components(b);
    this.events = new EventDispatcher(listeners(components));
    this.requestValidator = new RequestValidator();
    this.pipeline = new Pipeline(b.fingerprints, requestValidator, b.authenticator, b.authorizers, b.rateLimiter, b.promptFilter,
        b.imageValidator, b.resourceGuard, b.engine, b.outputPolicy, events, b.clock, b.nanoTime, b.ipv6Prefix,
        b.observers);
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      ExecutorService own = defaultExecutor();
      this.ownedExecutor = own;
      this.executor = own;
    }
    for (Object component : components) {
      // A component shared with the client this one derives from keeps publishing to that client's
      // listeners: attaching it here would take its events away from the client that owns it.
      if (component instanceof SecurityEventSource source && !inherited.contains(component)) {
        source.attach(events);
      }
    }
  }

  /**
   * A builder with nothing set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks settings as {@link Builder#build()} does before it builds anything: every provider named is on
   * the class path and every name under {@code f2p.} is one a selected provider reads. Builds nothing, so
   * a host can check its configuration in a test or at deploy time.
   *
   * @param settings the settings, such as a loaded properties file
   * @throws F2pConfigurationException naming the first unknown setting and the nearest valid name
   */
  public static void checkSettings(Map<String, String> settings) {
    SettingsPlan.check(PolicySettings.of(settings));
  }

  /**
   * Runs the request through the whole pipeline on this thread. Never throws; never returns null.
   *
   * @param request the caller's request
   * @return the edited image, or the typed reason it was refused
   */
  public EditResult edit(EditRequest request) {
    return edit(request, ProgressListener.NONE);
  }

  /**
   * Runs the request, telling {@code progress} after each inference step.
   *
   * @param request the caller's request
   * @param progress told after each step, on this thread
   * @return the edited image, or the typed reason it was refused
   */
  public EditResult edit(EditRequest request, ProgressListener progress) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(progress, "progress");
    if (closed.get()) {
      return pipeline.refuse(request, Stage.COMPLETE, closedRejection());
    }
    return pipeline.run(request, progress);
  }

  private static Rejection closedRejection() {
    return Rejection.of(ReasonCode.ENGINE_UNAVAILABLE, "CLIENT_CLOSED", ReasonCode.ENGINE_UNAVAILABLE.safeMessage());
  }

  /**
   * Admits a request on what arrives before its body: validates those parts (the client address must be
   * an IP literal), authenticates, authorizes (roles, suspensions, lockdown, address blocks) and takes a
   * rate-limit permit, publishing the same events {@link #edit} would for a refusal at those stages. Read
   * the body only when the answer {@linkplain Admission#isAdmitted() is admitted}, then complete it with
   * {@link Admission#edit}. {@link #edit} runs the very same stages, so a host that has everything at once
   * loses nothing by calling it instead. Never throws; never returns null.
   *
   * @param request the key, address, request id and any declared size and steps
   * @return the admission, refused or admitted
   */
  public Admission admit(AdmissionRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed.get()) {
      return new Admission(pipeline.refuseAdmission(request.shape(), closedRejection()), request);
    }
    return new Admission(pipeline.admit(request.shape()), request);
  }

  /**
   * The subject the pipeline tracks {@code address} under for limits, lockouts, blocks and containment:
   * the canonical address, or for IPv6 its prefix of {@link Builder#ipv6Prefix(int)} bits. Admin tools
   * block and lift what this returns.
   *
   * @param address an IP literal
   * @return the subject; empty when {@code address} is not an IP literal
   */
  public Optional<String> addressSubject(String address) {
    return ClientAddress.parse(Objects.requireNonNull(address, "address")).map(a -> a.subject(config.ipv6Prefix));
  }

  /**
   * Runs the request on the executor (the host's, or the client's own bounded pool). When the executor
   * refuses the task the future completes with an {@link ReasonCode#OVERLOADED} rejection; the future
   * never completes exceptionally.
   *
   * @param request the caller's request
   * @return the result to come
   */
  public CompletableFuture<EditResult> editAsync(EditRequest request) {
    return editAsync(request, ProgressListener.NONE);
  }

  /**
   * {@link #editAsync(EditRequest)} with a progress listener.
   *
   * @param request the caller's request
   * @param progress told after each step, on the executor's thread
   * @return the result to come
   */
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
   *
   * @param presentedKey the API key as presented
   * @param clientAddress the caller's address, for the events and the rate limits
   * @param action what the caller wants to do, as the authorizer names it
   * @return the principal when allowed, else the refusal
   */
  public Decision<Principal> authorizeAdmin(String presentedKey, String clientAddress, String action) {
    return pipeline.authorizeAdmin(Objects.requireNonNull(presentedKey, "presentedKey"),
        Objects.requireNonNull(clientAddress, "clientAddress"), Objects.requireNonNull(action, "action"));
  }

  /** {@return the publisher for events of the host's own (an admin action it performed), to every listener} */
  public SecurityEventPublisher events() {
    return events;
  }

  /** {@return the id (name and version) of the loaded model} */
  public String modelId() {
    return config.engine.modelId();
  }

  /** {@return whether the engine can take requests now (loaded, verified, not tampered with)} */
  public boolean isEngineAvailable() {
    return !closed.get() && config.engine.isAvailable();
  }

  /**
   * The engine's devices and their health now (for a remote engine, each endpoint: up, requests in flight,
   * capacity, ejections, last latency), for health pages; names come from configuration, never from callers.
   *
   * @return one status per device, empty when the engine declares no {@link dev.f2p.core.spi.CapacityPlan}
   */
  public java.util.List<dev.f2p.core.spi.DeviceStatus> engineDevices() {
    return config.engine.capacityPlan().map(dev.f2p.core.spi.CapacityPlan::status).orElse(java.util.List.of());
  }

  /**
   * The resource guard's circuit breaker now, for health pages ({@link ResourceGuard#breakerState()}).
   *
   * @return the breaker's state, empty when the guard has none
   */
  public Optional<dev.f2p.core.spi.BreakerState> breakerState() {
    return config.resourceGuard.breakerState();
  }

  /**
   * A builder holding this client's configuration, to derive a variant: any single-valued setting may be
   * replaced (once), the authorizers and listeners replaced or added to. The derived client shares this
   * client's engine and the policies it built from settings; only this client closes them, so close the
   * derived clients first or not at all. What the derived builder is given anew, it owns. Events a shared
   * component raises itself (the engine's integrity checks) go to this client's listeners.
   *
   * @return a new builder; this client is unchanged by whatever is done with it
   */
  public Builder newBuilder() {
    return new Builder(config);
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
  private static List<Object> components(Configuration b) {
    List<Object> all = new ArrayList<>(b.listeners);
    all.addAll(List.of(b.authenticator, b.rateLimiter, b.promptFilter, b.imageValidator, b.resourceGuard, b.engine,
        b.outputPolicy));
    all.addAll(b.authorizers);
    Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    all.removeIf(o -> !seen.add(o));
    return all;
  }

  /** The settings a client runs with, fixed when it is built; shared with clients derived from it. */
  private static final class Configuration {
    final Authenticator authenticator;
    final List<Authorizer> authorizers;
    final RateLimiter rateLimiter;
    final PromptFilter promptFilter;
    final ImageValidator imageValidator;
    final ResourceGuard resourceGuard;
    final ImageEditEngine engine;
    final OutputPolicy outputPolicy;
    final List<SecurityEventListener> listeners;
    final @Nullable Executor executor;
    final Clock clock;
    final LongSupplier nanoTime;
    final Fingerprints fingerprints;
    final int ipv6Prefix;
    final List<StageObserver> observers;
    /** Whether the guard is the default one the builder made from the engine's plan (remade for a new engine). */
    final boolean defaultGuard;

    Configuration(Authenticator authenticator, List<Authorizer> authorizers, RateLimiter rateLimiter,
        PromptFilter promptFilter, ImageValidator imageValidator, ResourceGuard resourceGuard, ImageEditEngine engine,
        OutputPolicy outputPolicy, List<SecurityEventListener> listeners, @Nullable Executor executor,
        Clock clock, LongSupplier nanoTime, Fingerprints fingerprints, int ipv6Prefix,
        List<StageObserver> observers, boolean defaultGuard) {
      this.authenticator = authenticator;
      this.authorizers = List.copyOf(authorizers);
      this.rateLimiter = rateLimiter;
      this.promptFilter = promptFilter;
      this.imageValidator = imageValidator;
      this.resourceGuard = resourceGuard;
      this.engine = engine;
      this.outputPolicy = outputPolicy;
      this.listeners = List.copyOf(listeners);
      this.executor = executor;
      this.clock = clock;
      this.nanoTime = nanoTime;
      this.fingerprints = fingerprints;
      this.ipv6Prefix = ipv6Prefix;
      this.observers = List.copyOf(observers);
      this.defaultGuard = defaultGuard;
    }
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
   * A single-valued builder option: its value and whether this builder was given it explicitly (set
   * twice is an error) or inherited it from the client it was derived from (may be replaced once).
   */
  private static final class Option<T> {
    private final String name;
    private @Nullable T value;
    private boolean explicit;

    Option(String name, @Nullable T inherited) {
      this.name = name;
      this.value = inherited;
    }

    void set(T v) {
      if (explicit) {
        throw new IllegalStateException(name + " was already set");
      }
      value = Objects.requireNonNull(v, name);
      explicit = true;
    }
  }

  /**
   * Builds an {@link ImageEditClient}. Required: an authenticator, a rate limiter, a prompt filter, an
   * image validator, a resource guard and an engine, each set explicitly or named in the settings given
   * to {@link #configure(Map)}; a host that limits or filters elsewhere opts out explicitly
   * ({@link RateLimiter#unlimited()}, {@link PromptFilter#acceptAll()}, {@link ResourceGuard#unguarded}).
   * Defaults: the authorizer {@link Authorizer#standardRoles()}; the output policy
   * {@link OutputPolicy#plainPng()} (logged as a warning: outputs leave unlabelled).
   *
   * <p>An explicit setter wins over the settings, in either order: {@code configure(settings)
   * .promptFilter(custom)} uses {@code custom} and never builds the prompt filter the settings name (its
   * settings are still checked). Setting a single-valued option twice on one builder is an error; on a
   * builder from {@link ImageEditClient#newBuilder()} each inherited option may be replaced once.
   * {@link #build()} leaves the builder as it was, so it may build again. Not thread-safe.
   */
  public static final class Builder {
    private final Option<Authenticator> authenticator;
    private final List<Authorizer> authorizers;
    private final Option<RateLimiter> rateLimiter;
    private final Option<PromptFilter> promptFilter;
    private final Option<ImageValidator> imageValidator;
    private final Option<ResourceGuard> resourceGuard;
    private final Option<ImageEditEngine> engine;
    private final Option<OutputPolicy> outputPolicy;
    private final List<SecurityEventListener> listeners;
    private final List<StageObserver> observers;
    private final Option<Executor> executor;
    private Clock clock;
    private LongSupplier nanoTime;
    private final Option<Fingerprints> fingerprints;
    private @Nullable String fingerprintKeyEnv;
    private final Option<Integer> ipv6Prefix;
    private UnaryOperator<String> environment = System::getenv;
    private @Nullable PolicySettings settings;
    /** The configuration this builder derives from, whose components the new client shares; or null. */
    private final @Nullable Configuration from;
    /** Whether the inherited guard is the default one made from the inherited engine's plan. */
    private final boolean inheritedDefaultGuard;

    private Builder() {
      this(null);
    }

    /** A builder starting from a client's configuration (inherited, replaceable), or empty. */
    private Builder(@Nullable Configuration from) {
      this.from = from;
      authenticator = new Option<>("authenticator", from != null ? from.authenticator : null);
      authorizers = new ArrayList<>(from != null ? from.authorizers : List.of());
      rateLimiter = new Option<>("rateLimiter", from != null ? from.rateLimiter : null);
      promptFilter = new Option<>("promptFilter", from != null ? from.promptFilter : null);
      imageValidator = new Option<>("imageValidator", from != null ? from.imageValidator : null);
      resourceGuard = new Option<>("resourceGuard", from != null ? from.resourceGuard : null);
      engine = new Option<>("engine", from != null ? from.engine : null);
      outputPolicy = new Option<>("outputPolicy", from != null ? from.outputPolicy : null);
      listeners = new ArrayList<>(from != null ? from.listeners : List.of());
      observers = new ArrayList<>(from != null ? from.observers : List.of());
      executor = new Option<>("executor", from != null ? from.executor : null);
      clock = from != null ? from.clock : Clock.systemUTC();
      nanoTime = from != null ? from.nanoTime : System::nanoTime;
      fingerprints = new Option<>("fingerprintKey", from != null ? from.fingerprints : null);
      ipv6Prefix = new Option<>("ipv6Prefix", from != null ? from.ipv6Prefix : null);
      inheritedDefaultGuard = from != null && from.defaultGuard;
    }

    /**
     * Who is calling. Required.
     *
     * @param authenticator the authenticator
     * @return this builder
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator.set(authenticator);
      return this;
    }

    /**
     * Adds an authorizer; every one must allow. Replaces the default {@link Authorizer#standardRoles()}.
     *
     * @param authorizer the authorizer
     * @return this builder
     */
    public Builder addAuthorizer(Authorizer authorizer) {
      authorizers.add(Objects.requireNonNull(authorizer, "authorizer"));
      return this;
    }

    /**
     * Replaces the authorizers added so far (or inherited from the client this builder derives from);
     * those named in the settings are still added. An empty list means the default.
     *
     * @param authorizers the authorizers, every one of which must allow
     * @return this builder
     */
    public Builder authorizers(List<? extends Authorizer> authorizers) {
      List<Authorizer> copy = List.copyOf(authorizers);
      this.authorizers.clear();
      this.authorizers.addAll(copy);
      return this;
    }

    /**
     * How often. Required ({@link RateLimiter#unlimited()} to opt out).
     *
     * @param rateLimiter the rate limiter
     * @return this builder
     */
    public Builder rateLimiter(RateLimiter rateLimiter) {
      this.rateLimiter.set(rateLimiter);
      return this;
    }

    /**
     * What text. Required ({@link PromptFilter#acceptAll()} to opt out).
     *
     * @param promptFilter the prompt filter
     * @return this builder
     */
    public Builder promptFilter(PromptFilter promptFilter) {
      this.promptFilter.set(promptFilter);
      return this;
    }

    /**
     * What bytes. Required.
     *
     * @param imageValidator the image validator
     * @return this builder
     */
    public Builder imageValidator(ImageValidator imageValidator) {
      this.imageValidator.set(imageValidator);
      return this;
    }

    /**
     * Is there room. Default: the {@code standard} guard (f2p-security) with its defaults, built from the
     * engine's {@link ImageEditEngine#capacityPlan() capacity plan}; required when the engine declares none
     * ({@link ResourceGuard#unguarded} to opt out). A guard that admits more at once than the engine's plan
     * (more devices, more slots in all, or more on one device) fails {@link #build()}: the engine would queue
     * requests behind its back. A smaller one is allowed.
     *
     * @param resourceGuard the resource guard
     * @return this builder
     */
    public Builder resourceGuard(ResourceGuard resourceGuard) {
      this.resourceGuard.set(resourceGuard);
      return this;
    }

    /**
     * The model. Required. The client built with it closes it when it closes. It declares the capacity the
     * resource guard is built from; on a builder from {@link ImageEditClient#newBuilder()} a new engine gets a
     * new default guard from its own plan (an inherited guard given explicitly or by settings is kept, and
     * must fit the new engine).
     *
     * @param engine the engine
     * @return this builder
     */
    public Builder engine(ImageEditEngine engine) {
      this.engine.set(engine);
      return this;
    }

    /**
     * Labels and encodes outputs. Default {@link OutputPolicy#plainPng()}.
     *
     * @param outputPolicy the output policy
     * @return this builder
     */
    public Builder outputPolicy(OutputPolicy outputPolicy) {
      this.outputPolicy.set(outputPolicy);
      return this;
    }

    /**
     * Adds a listener told of every security event.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder addListener(SecurityEventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Adds an observer told when each pipeline stage starts and how it ended (stage, request id, outcome,
     * reason; nothing a caller sent): where a tracing system opens a span per stage.
     *
     * @param observer the observer
     * @return this builder
     */
    public Builder addStageObserver(StageObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /**
     * Replaces the listeners added so far (or inherited from the client this builder derives from);
     * those named in the settings are still added.
     *
     * @param listeners the listeners
     * @return this builder
     */
    public Builder listeners(List<? extends SecurityEventListener> listeners) {
      List<SecurityEventListener> copy = List.copyOf(listeners);
      this.listeners.clear();
      this.listeners.addAll(copy);
      return this;
    }

    /**
     * Where {@link #editAsync} runs; the host keeps ownership. Default: a bounded pool the client owns.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor.set(executor);
      return this;
    }

    /**
     * The clock for timestamps and deadlines. A test seam; default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The nanosecond ticker latencies are measured on. A test seam; default {@link System#nanoTime()}.
     *
     * @param nanoTime the ticker
     * @return this builder
     */
    public Builder ticker(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * How many leading bits of an IPv6 address name one caller for rate limits, lockouts, blocks and
     * containment: 1 to 128, default {@value ClientAddress#DEFAULT_IPV6_PREFIX} (one subscriber's /64;
     * 128 tracks single addresses, which lets one subscriber spread a flood over 2^64 subjects). Setting:
     * {@code f2p.client-address.ipv6-prefix}; this setter wins over it.
     *
     * @param bits the prefix length
     * @return this builder
     */
    public Builder ipv6Prefix(int bits) {
      this.ipv6Prefix.set(checkedPrefix(bits, null));
      return this;
    }

    private static int checkedPrefix(int bits, @Nullable String setting) {
      if (bits < 1 || bits > 128) {
        throw new F2pConfigurationException(setting, (setting == null ? "ipv6Prefix" : setting)
            + " must be 1..128: " + bits);
      }
      return bits;
    }

    /** The explicit prefix, else the setting's, else the inherited one, else the default. */
    private int ipv6Prefix() {
      if (ipv6Prefix.explicit) {
        return Objects.requireNonNull(ipv6Prefix.value); // set() refuses null
      }
      if (settings != null && settings.get("f2p.client-address.ipv6-prefix").isPresent()) {
        return checkedPrefix(settings.getInt("f2p.client-address.ipv6-prefix", 0), "f2p.client-address.ipv6-prefix");
      }
      return ipv6Prefix.value != null ? ipv6Prefix.value : ClientAddress.DEFAULT_IPV6_PREFIX;
    }

    /**
     * The deployment's key for the fingerprints of images and prompts in events (HMAC-SHA256), at least 16
     * bytes; the same on every instance so that their events correlate. Default: the key in the environment
     * variable {@code F2P_FINGERPRINT_KEY} (or the one {@link #fingerprintKeyEnv} or the setting
     * {@code f2p.fingerprint-key-env} names); without one, a random key per process, with a WARN once that
     * fingerprints will not correlate across restarts. Never an unkeyed hash.
     *
     * @param key the secret key; copied
     * @return this builder
     */
    public Builder fingerprintKey(byte[] key) {
      if (fingerprintKeyEnv != null) {
        throw new IllegalStateException("fingerprintKeyEnv was already set; give the key one way");
      }
      try {
        fingerprints.set(Fingerprints.withKey(key));
      } catch (IllegalArgumentException e) {
        throw new F2pConfigurationException(null, String.valueOf(e.getMessage()), e);
      }
      return this;
    }

    /**
     * Reads the fingerprint key from this environment variable (its UTF-8 bytes, at least 16) instead of
     * {@code F2P_FINGERPRINT_KEY}; the build fails when it is unset. Setting {@code f2p.fingerprint-key-env}.
     *
     * @param variable the variable's name
     * @return this builder
     */
    public Builder fingerprintKeyEnv(String variable) {
      if (fingerprintKeyEnv != null || fingerprints.explicit) {
        throw new IllegalStateException("the fingerprint key was already set");
      }
      if (Objects.requireNonNull(variable, "variable").isBlank()) {
        throw new IllegalArgumentException("fingerprintKeyEnv must name a variable: '" + variable + "'");
      }
      this.fingerprintKeyEnv = variable;
      return this;
    }

    /** Where environment variables are read from. A test seam; default {@link System#getenv(String)}. */
    Builder environment(UnaryOperator<String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * The explicit key, else the variable named in code or settings, else the inherited fingerprints,
     * else {@code F2P_FINGERPRINT_KEY} or the per-process key. Cheap: run before anything is built.
     */
    private Fingerprints fingerprints() {
      if (fingerprints.explicit) {
        return Objects.requireNonNull(fingerprints.value); // set() refuses null
      }
      String fromSettings = settings == null ? null : settings.scope("f2p").get("fingerprint-key-env").orElse(null);
      String variable = fingerprintKeyEnv != null ? fingerprintKeyEnv : fromSettings;
      if (variable == null && fingerprints.value != null) {
        return fingerprints.value;
      }
      try {
        return Fingerprints.fromEnvironment(variable != null ? variable : Fingerprints.DEFAULT_KEY_ENV,
            variable != null, environment);
      } catch (IllegalArgumentException e) {
        throw new F2pConfigurationException(fingerprintKeyEnv == null && fromSettings != null
            ? "f2p.fingerprint-key-env" : null, String.valueOf(e.getMessage()), e);
      }
    }

    /**
     * Names the policies to build through {@link java.util.ServiceLoader}: for each SPI a {@code type} key
     * names the provider ({@code f2p.authenticator.type=api-key}) and the other settings in its scope are
     * that provider's ({@code f2p.authenticator.file=keys.json}), so the same names are valid YAML. Names:
     * {@code f2p.authenticator.type}, {@code f2p.authorizers} (comma list; settings under
     * {@code f2p.authorizer.<name>.}), {@code f2p.rate-limiter.type}, {@code f2p.prompt-filter.type},
     * {@code f2p.image-validator.type}, {@code f2p.resource-guard.type}, {@code f2p.engine.type},
     * {@code f2p.output-policy.type}, {@code f2p.listeners} (comma list; settings under
     * {@code f2p.listener.<name>.}), {@code f2p.fingerprint-key-env} ({@link #fingerprintKeyEnv}),
     * {@code f2p.client-address.ipv6-prefix} ({@link #ipv6Prefix(int)}). Names not under {@code f2p.} are ignored. {@link #build()} checks every
     * name under {@code f2p.} against what the selected providers declare and builds the policies (the
     * engine, then the resource guard from it, last); policies built there that are {@link AutoCloseable}
     * are closed with the client, or at once when the build fails. Once per builder.
     *
     * @param settings the settings, such as a loaded properties file
     * @return this builder
     */
    public Builder configure(Map<String, String> settings) {
      return configure(PolicySettings.of(settings));
    }

    /**
     * {@link #configure(Map)} over a {@code .properties} file (read as UTF-8).
     *
     * @param propertiesFile the file
     * @return this builder
     * @throws F2pConfigurationException when the file cannot be read
     */
    public Builder configure(Path propertiesFile) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new F2pConfigurationException(null, "cannot read settings file " + propertiesFile + ": " + e, e);
      }
      Map<String, String> map = new LinkedHashMap<>();
      p.stringPropertyNames().forEach(n -> map.put(n, p.getProperty(n)));
      return configure(map);
    }

    /**
     * {@link #configure(Map)} over settings the host made, so it can register shared objects before the
     * providers run ({@link PolicySettings#shared}) and find what they built afterwards
     * ({@link PolicySettings#findShared}).
     *
     * @param settings the settings
     * @return this builder
     */
    public Builder configure(PolicySettings settings) {
      if (this.settings != null) {
        throw new IllegalStateException("configure was already called; merge the settings into one map");
      }
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Builds the client. First the cheap checks: every setting name is known and every provider exists,
     * no required policy is missing. Then the policies the settings name, the engine last but for the
     * resource guard, which is built from the engine's {@link ImageEditEngine#capacityPlan() capacity plan}
     * (or, when none is given, the default guard) and must fit it. Whatever this build made is closed again
     * when it fails (an engine it loaded included). The builder is not changed.
     *
     * @return the client
     * @throws F2pConfigurationException for every configuration error, naming the setting
     */
    public ImageEditClient build() {
      SettingsPlan plan = settings == null ? SettingsPlan.NONE : SettingsPlan.check(settings);
      // Without the standard guard on the class path no default can be made from the engine's plan.
      boolean defaultGuardAvailable = Providers.find(ResourceGuardProvider.class, DEFAULT_GUARD).isPresent();
      requireAll(plan, defaultGuardAvailable);
      Fingerprints fp = fingerprints(); // a key that is missing or too short fails here, before any policy is built
      int prefix = ipv6Prefix();
      List<AutoCloseable> created = new ArrayList<>();
      try {
        Authenticator a = present(pick(authenticator, plan, "authenticator", Authenticator.class, created));
        List<Authorizer> az = new ArrayList<>();
        plan.authorizers().forEach(s -> az.add(made(s, s.create(), Authorizer.class, created)));
        az.addAll(authorizers);
        if (az.isEmpty()) {
          az.add(Authorizer.standardRoles());
        }
        RateLimiter rl = present(pick(rateLimiter, plan, "rate-limiter", RateLimiter.class, created));
        PromptFilter pf = present(pick(promptFilter, plan, "prompt-filter", PromptFilter.class, created));
        ImageValidator iv = present(pick(imageValidator, plan, "image-validator", ImageValidator.class, created));
        OutputPolicy op = pick(outputPolicy, plan, "output-policy", OutputPolicy.class, created);
        List<SecurityEventListener> ls = new ArrayList<>();
        plan.listeners().forEach(s -> ls.add(made(s, s.create(), SecurityEventListener.class, created)));
        ls.addAll(listeners);
        ImageEditEngine e = present(pick(engine, plan, "engine", ImageEditEngine.class, created));
        // The guard last: it is built from the engine's declared capacity, the one owner, fixed from here on.
        Guard guard = guard(plan, e, defaultGuardAvailable, created);
        if (op == null) {
          LOG.warn("no output policy set: outputs leave as plain PNG, unlabelled and unwatermarked "
              + "(add f2p-provenance to label them)");
          op = OutputPolicy.plainPng();
        }
        List<AutoCloseable> owned = new ArrayList<>(created);
        if (engine.explicit && !owned.contains(e)) {
          owned.add(e);
        }
        Set<Object> inherited = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        if (from != null) {
          inherited.addAll(components(from));
        }
        return new ImageEditClient(new Configuration(a, az, rl, pf, iv, guard.guard(), e, op, ls, executor.value,
            clock, nanoTime, fp, prefix, observers, guard.fromPlan()), owned, inherited);
      } catch (F2pConfigurationException | Error failure) {
        closeAll(created, failure);
        throw failure;
      } catch (RuntimeException failure) {
        closeAll(created, failure);
        throw new F2pConfigurationException(null, "building the client failed: " + failure, failure);
      }
    }

    /** Fails listing every required policy neither set, inherited nor named in the settings. */
    private void requireAll(SettingsPlan plan, boolean defaultGuardAvailable) {
      Map<String, Option<?>> required = new LinkedHashMap<>();
      required.put("authenticator", authenticator);
      required.put("rate-limiter", rateLimiter);
      required.put("prompt-filter", promptFilter);
      required.put("image-validator", imageValidator);
      if (!defaultGuardAvailable) {
        required.put("resource-guard", resourceGuard);
      }
      required.put("engine", engine);
      List<String> missing = new ArrayList<>();
      required.forEach((setting, option) -> {
        if (option.value == null && plan.single(setting).isEmpty()) {
          missing.add(option.name + " (or f2p." + setting + ".type)" + switch (setting) {
            case "rate-limiter" -> ", RateLimiter.unlimited() to opt out";
            case "prompt-filter" -> ", PromptFilter.acceptAll() to opt out";
            case "resource-guard" -> ", ResourceGuard.unguarded(...) to opt out";
            default -> "";
          });
        }
      });
      if (!missing.isEmpty()) {
        String first = "f2p." + required.entrySet().stream()
            .filter(r -> r.getValue().value == null && plan.single(r.getKey()).isEmpty()).map(Map.Entry::getKey)
            .findFirst().orElseThrow() + ".type";
        throw new F2pConfigurationException(first, "ImageEditClient needs: " + String.join("; ", missing));
      }
    }

    /** The resource guard and whether it is the default one made from the engine's plan. */
    private record Guard(ResourceGuard guard, boolean fromPlan) {}

    /**
     * The explicit guard, else the one the settings name (built now, from the engine), else the inherited
     * one (unless it was the default of an engine now replaced), else the default from the engine's plan.
     * Each must fit the engine's plan.
     */
    private Guard guard(SettingsPlan plan, ImageEditEngine e, boolean defaultGuardAvailable,
        List<AutoCloseable> created) {
      Optional<SettingsPlan.Selected> selected = plan.single("resource-guard");
      boolean inheritedDefaultOfAnotherEngine = inheritedDefaultGuard && from != null && e != from.engine;
      if (resourceGuard.explicit
          || (selected.isEmpty() && resourceGuard.value != null && !inheritedDefaultOfAnotherEngine)) {
        ResourceGuard g = Objects.requireNonNull(resourceGuard.value, "explicit or inherited");
        return new Guard(fitting(g, e, null), !resourceGuard.explicit && inheritedDefaultGuard);
      }
      if (selected.isPresent()) {
        ResourceGuard g = made(selected.get(), selected.get().createGuard(e), ResourceGuard.class, created);
        return new Guard(fitting(g, e, selected.get().setting()), false);
      }
      if (e.capacityPlan().isEmpty() || !defaultGuardAvailable) {
        throw new F2pConfigurationException("f2p.resource-guard.type", "ImageEditClient needs: resourceGuard (or "
            + "f2p.resource-guard.type), ResourceGuard.unguarded(...) to opt out: the engine declares no capacity "
            + "plan to size a default guard from");
      }
      PolicySettings scope = (settings != null ? settings : PolicySettings.of(Map.of())).scope("f2p.resource-guard");
      ResourceGuard g = tracked(PolicyProviders.createResourceGuard(DEFAULT_GUARD, scope, e), created);
      return new Guard(fitting(g, e, null), true);
    }

    /** The guard, when it admits no more than the engine declares; else the build fails saying what exceeds. */
    private static ResourceGuard fitting(ResourceGuard guard, ImageEditEngine engine, @Nullable String setting) {
      Optional<dev.f2p.core.spi.CapacityPlan> plan = engine.capacityPlan();
      Optional<dev.f2p.core.spi.GuardMetrics> shape = guard.metrics();
      if (plan.isPresent() && shape.isPresent()) {
        GuardFit.problem(shape.get(), plan.get()).ifPresent(problem -> {
          throw new F2pConfigurationException(setting, problem + ": the engine would queue what the guard "
              + "admitted; leave the resource guard unset to size it from the engine, or give it no more slots");
        });
      }
      return guard;
    }

    /** The explicit value, else the one the settings name (built now), else the inherited one. */
    private static <T> @Nullable T pick(Option<T> option, SettingsPlan plan, String setting, Class<T> type,
        List<AutoCloseable> created) {
      if (option.explicit) {
        return option.value;
      }
      Optional<SettingsPlan.Selected> selected = plan.single(setting);
      return selected.isPresent() ? made(selected.get(), selected.get().create(), type, created) : option.value;
    }

    /** A required policy: {@link #requireAll} has proved it set, inherited or named in the settings. */
    private static <T> T present(@Nullable T policy) {
      return Objects.requireNonNull(policy, "checked by requireAll");
    }

    private static <T> T made(SettingsPlan.Selected selected, Object policy, Class<T> type,
        List<AutoCloseable> created) {
      tracked(policy, created);
      if (!type.isInstance(policy)) {
        throw new F2pConfigurationException(selected.setting(), "provider '" + selected.provider() + "' ("
            + selected.setting() + ") made a " + policy.getClass().getName() + ", not a " + type.getSimpleName());
      }
      return type.cast(policy);
    }

    /** The policy, noted among what this build made when it must be closed with the client or a failed build. */
    private static <T> T tracked(T policy, List<AutoCloseable> created) {
      if (policy instanceof AutoCloseable closeable && !created.contains(closeable)) {
        created.add(closeable);
      }
      return policy;
    }

    private static void closeAll(List<AutoCloseable> created, Throwable failure) {
      for (int i = created.size() - 1; i >= 0; i--) {
        try {
          created.get(i).close();
        } catch (Exception | Error e) {
          failure.addSuppressed(e);
        }
      }
    }
  }
}
