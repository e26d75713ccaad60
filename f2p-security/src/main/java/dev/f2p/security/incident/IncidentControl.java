package dev.f2p.security.incident;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an operator, or a containment rule, stops an attack: revoke a key, suspend a principal or an
 * address for a while (and lift it early), put the whole service into lockdown (nobody, or admins only)
 * and out of it. Each action takes effect on the next request and is published as a
 * {@link Stage#INCIDENT} {@link Outcome#NOTICE} event through the client's publisher.
 *
 * <p>Enforcement has two halves: {@link #authorizer()} refuses revoked keys, suspended principals and
 * addresses and lockdown after authentication; {@link #guard(Authenticator)} wraps the authenticator
 * and refuses blocked addresses and a lockdown for everyone <em>before</em> it runs, so a blocked caller
 * costs no key hashing. During a lockdown for everyone the client cannot authenticate admins either:
 * lift it through this object (the host's console), not through a request.
 *
 * <p>Automatic containment: this object is also a {@link SecurityEventListener}; each
 * {@link ContainmentRule} counts refusals per principal or address in a sliding window (at most
 * {@code maxTracked} subjects per rule, least recently seen forgotten first) and, when one fires,
 * restricts the subject and publishes a {@link Severity#CRITICAL} event.
 *
 * <p>State lives in an {@link IncidentStore}: in memory, in a file that survives restarts, or shared
 * across instances. Thread-safe; build one per client and register the same instance everywhere
 * (the providers do this through {@code PolicySettings.shared("incident-control", ...)}).
 */
public final class IncidentControl implements SecurityEventListener, SecurityEventSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentControl.class);
  /** Subjects each rule tracks at most. */
  public static final int DEFAULT_MAX_TRACKED = 10_000;

  public static final String KEY_REVOKED = "KEY_REVOKED";
  public static final String PRINCIPAL_SUSPENDED = "PRINCIPAL_SUSPENDED";
  public static final String ADDRESS_BLOCKED = "ADDRESS_BLOCKED";
  public static final String LOCKED_DOWN = "LOCKED_DOWN";

  private final Clock clock;
  // One volatile snapshot, so a provider can adopt settings given in another scope before first use.
  private volatile Config config;
  private final Authorizer authorizer = new IncidentAuthorizer();
  private volatile SecurityEventPublisher publisher = SecurityEventPublisher.NONE;

  private IncidentControl(Builder b) {
    this.clock = b.clock;
    List<RuleWindow> windows = new ArrayList<>();
    b.rules.forEach(r -> windows.add(new RuleWindow(r, b.maxTracked)));
    this.config = new Config(b.store, List.copyOf(windows), Map.copyOf(b.settings));
  }

  private record Config(IncidentStore store, List<RuleWindow> rules, Map<String, String> settings) {}

  /**
   * Takes {@code other}'s store and rules; only while being built from settings, before any request.
   * This instance's own store is closed.
   */
  void adopt(IncidentControl other) {
    Config old = config;
    config = other.config;
    old.store().close();
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---- operator actions ----

  /** Revokes a key for good, by its public key id. */
  public void revokeKey(String keyId) {
    restrict(IncidentTarget.KEY, keyId, Instant.MAX, Severity.WARN, Optional.empty());
  }

  /** Suspends a principal, whichever key it uses, for {@code duration}. */
  public void suspendPrincipal(String principalId, Duration duration) {
    restrict(IncidentTarget.PRINCIPAL, principalId, until(duration), Severity.WARN, Optional.empty());
  }

  /** Lifts a principal's suspension early. */
  public void liftPrincipal(String principalId) {
    lift(IncidentTarget.PRINCIPAL, principalId);
  }

  /** Blocks a client address for {@code duration}; refused before authentication. */
  public void suspendAddress(String address, Duration duration) {
    restrict(IncidentTarget.ADDRESS, address, until(duration), Severity.WARN, Optional.empty());
  }

  /** Lifts an address block early. */
  public void liftAddress(String address) {
    lift(IncidentTarget.ADDRESS, address);
  }

  /** Puts the service into lockdown ({@link LockdownMode#EVERYONE}, {@link LockdownMode#ADMINS_ONLY}) or out of it ({@link LockdownMode#OFF}). */
  public void lockdown(LockdownMode mode) {
    config.store().apply(new IncidentChange.Lockdown(Objects.requireNonNull(mode, "mode")));
    publish(SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE).severity(Severity.WARN)
        .detail("LOCKDOWN_" + mode.name()).attribute("incident.action", "lockdown"));
  }

  /** The lockdown mode now. */
  public LockdownMode lockdownMode() {
    return config.store().lockdown();
  }

  /** Until when the subject is restricted, if it is now; {@link Instant#MAX} for a revoked key. */
  public Optional<Instant> restrictedUntil(IncidentTarget target, String subject) {
    return config.store().restrictedUntil(target, subject, clock.instant());
  }

  private Instant until(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + duration);
    }
    return clock.instant().plus(duration);
  }

  private void restrict(IncidentTarget target, String subject, Instant until, Severity severity,
      Optional<ContainmentRule> rule) {
    config.store().apply(new IncidentChange.Restrict(target, subject, until));
    SecurityEvent.Builder e = subject(SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE), target, subject)
        .severity(severity).detail(detailFor(target))
        .attribute("incident.action", target == IncidentTarget.KEY ? "revoke" : "suspend")
        .attribute("incident.until", until.equals(Instant.MAX) ? "never" : until.toString());
    rule.ifPresent(r -> e.reason(r.reason()).attribute("incident.rule", r.name()));
    publish(e);
  }

  private void lift(IncidentTarget target, String subject) {
    config.store().apply(new IncidentChange.Lift(target, subject));
    publish(subject(SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE), target, subject)
        .severity(Severity.WARN).detail(target + "_LIFTED").attribute("incident.action", "lift"));
  }

  private static SecurityEvent.Builder subject(SecurityEvent.Builder b, IncidentTarget target, String subject) {
    return switch (target) {
      case KEY -> b.keyId(subject);
      case PRINCIPAL -> b.principalId(subject);
      case ADDRESS -> b.clientAddress(subject);
    };
  }

  private static String detailFor(IncidentTarget target) {
    return switch (target) {
      case KEY -> KEY_REVOKED;
      case PRINCIPAL -> PRINCIPAL_SUSPENDED;
      case ADDRESS -> ADDRESS_BLOCKED;
    };
  }

  private void publish(SecurityEvent.Builder event) {
    try {
      publisher.publish(event.timestamp(clock.instant()).build());
    } catch (RuntimeException e) {
      LOG.warn("publishing an incident event failed", e);
    }
  }

  @Override
  public void attach(SecurityEventPublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
  }

  // ---- enforcement ----

  /** The authorizer enforcing this state after authentication; the same instance on every call. */
  public Authorizer authorizer() {
    return authorizer;
  }

  /**
   * Wraps {@code delegate} so blocked addresses and a lockdown for everyone are refused before it runs.
   * The wrapper forwards {@link SecurityEventSource#attach} and {@link AutoCloseable#close} to the
   * delegate when it has them.
   */
  public Authenticator guard(Authenticator delegate) {
    return new GuardedAuthenticator(this, Objects.requireNonNull(delegate, "delegate"));
  }

  /** Before authentication: only what the address and the lockdown tell. */
  Optional<Rejection> checkBeforeAuthentication(String address) {
    if (config.store().lockdown() == LockdownMode.EVERYONE) {
      return Optional.of(lockedDown());
    }
    return blocked(IncidentTarget.ADDRESS, address, clock.instant());
  }

  private Optional<Rejection> checkPrincipal(Principal principal, String address, Instant now) {
    Optional<Rejection> r = blocked(IncidentTarget.KEY, principal.keyId(), now);
    if (r.isEmpty()) {
      r = blocked(IncidentTarget.PRINCIPAL, principal.id(), now);
    }
    if (r.isEmpty() && address != null) {
      r = blocked(IncidentTarget.ADDRESS, address, now);
    }
    return r;
  }

  private Optional<Rejection> blocked(IncidentTarget target, String subject, Instant now) {
    if (subject.isEmpty()) {
      return Optional.empty();
    }
    return config.store().restrictedUntil(target, subject, now).map(until -> {
      Rejection r = Rejection.of(ReasonCode.FORBIDDEN, detailFor(target), ReasonCode.FORBIDDEN.safeMessage());
      return until.equals(Instant.MAX) ? r : r.withRetryAfter(roundUp(Duration.between(now, until)));
    });
  }

  private static Duration roundUp(Duration d) {
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Duration.ofSeconds(Math.max(1, s));
  }

  private static Rejection lockedDown() {
    return Rejection.of(ReasonCode.SERVICE_LOCKED_DOWN, LOCKED_DOWN, ReasonCode.SERVICE_LOCKED_DOWN.safeMessage());
  }

  private final class IncidentAuthorizer implements Authorizer, SecurityEventSource, AutoCloseable {
    @Override
    public Decision<Principal> authorize(Principal principal, EditRequest request) {
      Optional<Rejection> r = checkPrincipal(principal, request.clientAddress(), clock.instant());
      if (r.isPresent()) {
        return Decision.reject(r.get());
      }
      LockdownMode mode = config.store().lockdown();
      if (mode == LockdownMode.EVERYONE || (mode == LockdownMode.ADMINS_ONLY && !principal.hasRole(Role.ADMIN))) {
        return Decision.reject(lockedDown());
      }
      return Decision.allow(principal);
    }

    /** Admin actions: revocations and suspensions apply, lockdown does not (admins must lift it). */
    @Override
    public Decision<Principal> authorizeAdmin(Principal principal, String action) {
      Optional<Rejection> r = checkPrincipal(principal, null, clock.instant());
      return r.isPresent() ? Decision.reject(r.get()) : Authorizer.super.authorizeAdmin(principal, action);
    }

    @Override
    public void attach(SecurityEventPublisher publisher) {
      IncidentControl.this.attach(publisher);
    }

    @Override
    public void close() {
      IncidentControl.this.close();
    }
  }

  // ---- containment ----

  @Override
  public void onEvent(SecurityEvent event) {
    // Count each refusal once (its stage event, not the COMPLETE one); never our own notices.
    List<RuleWindow> rules = config.rules();
    if (rules.isEmpty() || event.outcome() != Outcome.REJECTED || event.stage() == Stage.COMPLETE
        || event.stage() == Stage.INCIDENT || event.reason().isEmpty()) {
      return;
    }
    for (RuleWindow window : rules) {
      ContainmentRule rule = window.rule;
      if (rule.reason() != event.reason().get() || !rule.counts(event.confidence())
          || (rule.detail().isPresent() && !rule.detail().equals(event.detail()))) {
        continue;
      }
      Optional<String> subject = rule.by() == IncidentTarget.PRINCIPAL ? event.principalId() : event.clientAddress();
      if (subject.isEmpty() || !IncidentChange.SUBJECT.matcher(subject.get()).matches()) {
        continue;
      }
      if (window.record(subject.get(), clock.millis())) {
        fire(rule, subject.get());
      }
    }
  }

  private void fire(ContainmentRule rule, String subject) {
    try {
      restrict(rule.by(), subject, clock.instant().plus(rule.duration()), Severity.CRITICAL, Optional.of(rule));
    } catch (RuntimeException e) {
      LOG.error("containment rule {} fired but the restriction could not be stored", rule.name(), e);
    }
  }

  /** Subjects the rules are tracking now, for tests of the memory bound. */
  int trackedSubjects() {
    return config.rules().stream().mapToInt(RuleWindow::size).sum();
  }

  /** The settings this instance was built from by a provider (empty when built in code). */
  Map<String, String> settings() {
    return config.settings();
  }

  /** Closes the store. Idempotent. */
  @Override
  public void close() {
    config.store().close();
  }

  /** One rule's sliding windows: a ring of the last {@code count} times per subject, LRU-bounded. */
  private static final class RuleWindow {
    final ContainmentRule rule;
    private final long windowMillis;
    private final LinkedHashMap<String, long[]> rings;

    RuleWindow(ContainmentRule rule, int maxTracked) {
      this.rule = rule;
      this.windowMillis = rule.window().toMillis();
      this.rings = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
          return size() > maxTracked;
        }
      };
    }

    /** Records one refusal; true when it completes {@code count} refusals within the window. */
    synchronized boolean record(String subject, long nowMillis) {
      int count = rule.count();
      // Slot 0 holds the number recorded so far; slots 1..count a ring of times.
      long[] ring = rings.computeIfAbsent(subject, s -> new long[count + 1]);
      long n = ring[0]++;
      ring[1 + (int) (n % count)] = nowMillis;
      if (n + 1 < count) {
        return false;
      }
      long oldest = ring[1 + (int) ((n + 1) % count)];
      if (nowMillis - oldest <= windowMillis) {
        rings.remove(subject);
        return true;
      }
      return false;
    }

    synchronized int size() {
      return rings.size();
    }
  }

  /**
   * Builds an {@link IncidentControl}. Defaults: an {@link InMemoryIncidentStore}, the system clock, no
   * containment rules, {@value #DEFAULT_MAX_TRACKED} subjects tracked per rule. Not thread-safe.
   */
  public static final class Builder {
    private IncidentStore store;
    private Clock clock = Clock.systemUTC();
    private final List<ContainmentRule> rules = new ArrayList<>();
    private int maxTracked = DEFAULT_MAX_TRACKED;
    private Map<String, String> settings = Map.of();

    private Builder() {}

    /** Where state lives; default a new {@link InMemoryIncidentStore}. */
    public Builder store(IncidentStore store) {
      if (this.store != null) {
        throw new IllegalStateException("store was already set");
      }
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock suspensions and windows are measured on. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a containment rule; names must be unique. */
    public Builder addRule(ContainmentRule rule) {
      Objects.requireNonNull(rule, "rule");
      if (rules.stream().anyMatch(r -> r.name().equals(rule.name()))) {
        throw new IllegalStateException("rule " + rule.name() + " was already added");
      }
      rules.add(rule);
      return this;
    }

    /** How many subjects each rule tracks at most (1 to 1,000,000). */
    public Builder maxTracked(int maxTracked) {
      if (maxTracked < 1 || maxTracked > 1_000_000) {
        throw new IllegalArgumentException("maxTracked must be 1..1000000: " + maxTracked);
      }
      this.maxTracked = maxTracked;
      return this;
    }

    Builder settings(Map<String, String> settings) {
      this.settings = settings;
      return this;
    }

    public IncidentControl build() {
      if (store == null) {
        store = new InMemoryIncidentStore(clock, InMemoryIncidentStore.DEFAULT_MAX_ENTRIES);
      }
      return new IncidentControl(this);
    }
  }
}
