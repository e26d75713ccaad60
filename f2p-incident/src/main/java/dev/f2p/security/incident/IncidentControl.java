package dev.f2p.security.incident;

import dev.f2p.core.ClientAddress;
import dev.f2p.core.EditRequest;
import dev.f2p.core.Outcome;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.internal.BuilderOptions;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an operator, or a containment rule, stops an attack: revoke a key, suspend a principal or an
 * address for a while (and lift it early), put the whole service into lockdown (nobody, or admins only)
 * and out of it. Each action takes effect on the next request and is published as a
 * {@link Stage#INCIDENT} {@link Outcome#NOTICE} event through the client's publisher.
 *
 * <p>One object is the whole feature: register it once as an {@link Authorizer}
 * ({@code ImageEditClient.builder().addAuthorizer(control)}, or {@code f2p.authorizers=incident} through
 * {@link IncidentControlProvider}) and the client asks it at every point it needs:
 * {@link #beforeAuthentication} refuses blocked addresses and a lockdown for everyone <em>before</em> the
 * authenticator runs, so a blocked caller costs no key hashing; {@link #authorize} refuses revoked keys,
 * suspended principals and addresses and lockdown after authentication; and, being a
 * {@link SecurityEventListener}, it is told of every event. Administrative actions
 * ({@code ImageEditClient.authorizeAdmin}) pass every lockdown mode ({@link #beforeAdminAuthentication},
 * {@link #authorizeAdmin}), so an ADMIN key can always lift it; revocations, suspensions and blocks still
 * apply.
 *
 * <p>Addresses are subjects as the pipeline hands them to policies (a canonical IP address, an IPv6
 * address aggregated to its prefix in CIDR form): {@link #suspendAddress} and {@link #liftAddress}
 * accept an IP literal or a prefix in CIDR form, and store the canonical subject, so
 * {@code 0:0:0:0:0:0:0:1} and {@code ::1} block the same caller and a bare IPv6 address blocks its
 * {@value dev.f2p.core.ClientAddress#DEFAULT_IPV6_PREFIX}-bit prefix (pass {@code client.addressSubject(..)}
 * when the client aggregates to another prefix).
 *
 * <p>Automatic containment: each
 * {@link ContainmentRule} counts refusals per principal or address in a sliding window (at most
 * {@code maxTracked} subjects per rule, least recently seen forgotten first) and, when one fires,
 * restricts the subject and publishes a {@link Severity#CRITICAL} event.
 *
 * <p>State lives in an {@link IncidentStore}: in memory, in a file that survives restarts, or shared
 * across instances. Immutable configuration (store, rules, clock fixed when built); thread-safe.
 */
public final class IncidentControl implements Authorizer, SecurityEventListener, SecurityEventSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentControl.class);
  /** Subjects each rule tracks at most. */
  public static final int DEFAULT_MAX_TRACKED = 10_000;

  /**
   * Detail of a {@link ReasonCode#FORBIDDEN} refusal of a revoked key, and of the event that revoked it.
   */
  public static final String KEY_REVOKED = "KEY_REVOKED";
  /** Detail of a {@link ReasonCode#FORBIDDEN} refusal of a suspended principal, and of the event that suspended it. */
  public static final String PRINCIPAL_SUSPENDED = "PRINCIPAL_SUSPENDED";
  /** Detail of a {@link ReasonCode#FORBIDDEN} refusal of a blocked address, and of the event that blocked it. */
  public static final String ADDRESS_BLOCKED = "ADDRESS_BLOCKED";
  /** Detail of a {@link ReasonCode#SERVICE_LOCKED_DOWN} refusal during a lockdown. */
  public static final String LOCKED_DOWN = "LOCKED_DOWN";

  private final Clock clock;
  private final IncidentStore store;
  private final List<RuleWindow> rules;
  // Set once by the client that registers this control (SecurityEventSource); events before that go nowhere.
  private volatile SecurityEventPublisher publisher = SecurityEventPublisher.NONE;

  private IncidentControl(Builder b, IncidentStore store) {
    this.clock = b.clock;
    this.store = store;
    List<RuleWindow> windows = new ArrayList<>();
    b.rules.forEach(r -> windows.add(new RuleWindow(r, b.maxTracked)));
    this.rules = List.copyOf(windows);
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- operator actions ----

  /**
   * Revokes a key for good, by its public key id; it stays revoked across restarts as far as the store
   * persists. This class offers no way back: issue the owner a new key.
   *
   * @param keyId the key's public id (never the secret key); 1 to 256 printable characters, no white space
   * @throws IllegalArgumentException when {@code keyId} is not a valid subject
   * @throws RuntimeException what the store throws when it cannot make the change durable or is full;
   *     the key is then not revoked
   */
  public void revokeKey(String keyId) {
    restrict(IncidentTarget.KEY, keyId, Instant.MAX, Severity.WARN, Optional.empty());
  }

  /**
   * Suspends a principal, whichever key it uses, for {@code duration}; a new suspension replaces the
   * current one, shorter or longer.
   *
   * @param principalId the principal's id; 1 to 256 printable characters, no white space
   * @param duration how long, from now on this control's clock; positive
   * @throws IllegalArgumentException when {@code principalId} is not a valid subject or {@code duration}
   *     is not positive
   * @throws RuntimeException what the store throws when it cannot make the change durable or is full;
   *     the principal is then not suspended
   */
  public void suspendPrincipal(String principalId, Duration duration) {
    restrict(IncidentTarget.PRINCIPAL, principalId, until(duration), Severity.WARN, Optional.empty());
  }

  /**
   * Lifts a principal's suspension early; nothing happens to a principal that is not suspended (the
   * event is published all the same).
   *
   * @param principalId the principal's id
   * @throws IllegalArgumentException when {@code principalId} is not a valid subject
   */
  public void liftPrincipal(String principalId) {
    lift(IncidentTarget.PRINCIPAL, principalId);
  }

  /**
   * Blocks a client address (an IP literal, or a prefix in CIDR form) for {@code duration}; refused before
   * authentication. A new block of the same subject replaces the current one.
   *
   * @param address an IPv4 or IPv6 literal, or a prefix in CIDR form ({@code 2001:db8::/64}); stored in
   *     canonical form, an IPv6 address as its prefix
   * @param duration how long, from now on this control's clock; positive
   * @throws IllegalArgumentException when {@code address} is neither an IP literal nor a prefix (the
   *     message does not repeat it), or {@code duration} is not positive
   * @throws RuntimeException what the store throws when it cannot make the change durable or is full;
   *     the address is then not blocked
   */
  public void suspendAddress(String address, Duration duration) {
    restrict(IncidentTarget.ADDRESS, addressSubject(address), until(duration), Severity.WARN, Optional.empty());
  }

  /**
   * Lifts an address block early; the same parsing as {@link #suspendAddress}, so any spelling of the
   * blocked address or prefix lifts it.
   *
   * @param address an IP literal or a prefix in CIDR form
   * @throws IllegalArgumentException when {@code address} is neither
   */
  public void liftAddress(String address) {
    lift(IncidentTarget.ADDRESS, addressSubject(address));
  }

  /** The canonical subject of an address or prefix an operator gives; fails on anything else. */
  static String addressSubject(String address) {
    Objects.requireNonNull(address, "address");
    return ClientAddress.parseSubject(address, ClientAddress.DEFAULT_IPV6_PREFIX).orElseThrow(() ->
        new IllegalArgumentException("not an IP address or prefix (such as 192.0.2.1 or 2001:db8::/64)"));
  }

  /**
   * Puts the service into lockdown or takes it out. Administrative actions pass every mode, so an admin
   * can always end it.
   *
   * @param mode {@link LockdownMode#EVERYONE} refuses every edit before authentication,
   *     {@link LockdownMode#ADMINS_ONLY} refuses every edit by a non-admin, {@link LockdownMode#OFF} ends
   *     the lockdown
   * @throws RuntimeException what the store throws when it cannot make the change durable; the mode is
   *     then unchanged
   */
  public void lockdown(LockdownMode mode) {
    store.apply(new IncidentChange.Lockdown(Objects.requireNonNull(mode, "mode")));
    publish(SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE).severity(Severity.WARN)
        .detail("LOCKDOWN_" + mode.name()).attribute("incident.action", "lockdown"));
  }

  /**
   * The lockdown mode now, as the store holds it (set by any instance sharing the store).
   *
   * @return the current mode; {@link LockdownMode#OFF} unless a lockdown is in force
   */
  public LockdownMode lockdownMode() {
    return store.lockdown();
  }

  /**
   * Until when the subject is restricted, if it is now (on this control's clock).
   *
   * @param target what kind of subject it is
   * @param subject a key id, a principal id, or for {@link IncidentTarget#ADDRESS} an IP literal or
   *     prefix in any spelling {@link #suspendAddress} accepts
   * @return the end of the restriction, {@link Instant#MAX} for a revoked key; empty when the subject is
   *     not restricted now
   * @throws IllegalArgumentException when {@code target} is {@code ADDRESS} and {@code subject} is not
   *     an IP literal or prefix
   */
  public Optional<Instant> restrictedUntil(IncidentTarget target, String subject) {
    String key = target == IncidentTarget.ADDRESS ? addressSubject(subject) : subject;
    return store.restrictedUntil(target, key, clock.instant());
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
    store.apply(new IncidentChange.Restrict(target, subject, until));
    SecurityEvent.Builder e = subject(SecurityEvent.builder(Stage.INCIDENT, Outcome.NOTICE), target, subject)
        .severity(severity).detail(detailFor(target))
        .attribute("incident.action", target == IncidentTarget.KEY ? "revoke" : "suspend")
        .attribute("incident.until", until.equals(Instant.MAX) ? "never" : until.toString());
    rule.ifPresent(r -> e.reason(r.reason()).attribute("incident.rule", r.name()));
    publish(e);
  }

  private void lift(IncidentTarget target, String subject) {
    store.apply(new IncidentChange.Lift(target, subject));
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

  /** Before authentication: only what the address and the lockdown tell. */
  @Override
  public Decision<String> beforeAuthentication(String clientAddress) {
    if (store.lockdown() == LockdownMode.EVERYONE) {
      return Decision.reject(lockedDown());
    }
    return beforeAdminAuthentication(clientAddress);
  }

  /** Before an admin's authentication: only what the address tells, never the lockdown (admins lift it). */
  @Override
  public Decision<String> beforeAdminAuthentication(String clientAddress) {
    Optional<Rejection> r = blocked(IncidentTarget.ADDRESS, clientAddress, clock.instant());
    return r.isPresent() ? Decision.reject(r.get()) : Decision.allow(clientAddress);
  }

  /** After authentication: revoked keys, suspended principals and addresses, lockdown. */
  @Override
  public Decision<Principal> authorize(Principal principal, EditRequest request) {
    Optional<Rejection> r = checkPrincipal(principal, request.clientAddress(), clock.instant());
    if (r.isPresent()) {
      return Decision.reject(r.get());
    }
    LockdownMode mode = store.lockdown();
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

  private Optional<Rejection> checkPrincipal(Principal principal, @Nullable String address, Instant now) {
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
    return store.restrictedUntil(target, subject, now).map(until -> {
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

  // ---- containment ----

  @Override
  public void onEvent(SecurityEvent event) {
    // Count each refusal once (its stage event, not the COMPLETE one); never our own notices. A policy's
    // alert (a NOTICE with a reason, such as KEY_UNDER_ATTACK) counts only for rules that name its detail.
    boolean notice = event.outcome() == Outcome.NOTICE;
    if (rules.isEmpty() || (event.outcome() != Outcome.REJECTED && !notice) || event.stage() == Stage.COMPLETE
        || event.stage() == Stage.INCIDENT || event.reason().isEmpty()) {
      return;
    }
    for (RuleWindow window : rules) {
      ContainmentRule rule = window.rule;
      if (rule.reason() != event.reason().get() || (notice && rule.detail().isEmpty()) || !rule.counts(event.confidence())
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
    return rules.stream().mapToInt(RuleWindow::size).sum();
  }

  /** Closes the store. Idempotent. */
  @Override
  public void close() {
    store.close();
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
    private @Nullable IncidentStore store;
    private Clock clock = Clock.systemUTC();
    private final List<ContainmentRule> rules = new ArrayList<>();
    private int maxTracked = DEFAULT_MAX_TRACKED;

    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * Where state lives; default a new {@link InMemoryIncidentStore}. Closing the control closes it.
     *
     * @param store the store; share one with other instances to enforce the same state
     * @return this builder
     * @throws IllegalStateException when a store was already set
     */
    public Builder store(IncidentStore store) {
      this.store = options.once("store", store);
      return this;
    }

    /**
     * The clock suspensions and rule windows are measured on; default the system clock in UTC. Tests
     * pass a settable clock instead of sleeping.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds a containment rule; rules are independent, each with its own windows.
     *
     * @param rule the rule; its name must differ from every rule added before
     * @return this builder
     * @throws IllegalStateException when a rule of the same name was added
     */
    public Builder addRule(ContainmentRule rule) {
      options.once("rule " + Objects.requireNonNull(rule, "rule").name());
      rules.add(rule);
      return this;
    }

    /**
     * How many subjects each rule tracks at most; beyond it the least recently seen is forgotten, which
     * bounds memory under a flood of distinct callers. Default {@value #DEFAULT_MAX_TRACKED}.
     *
     * @param maxTracked 1 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder maxTracked(int maxTracked) {
      if (maxTracked < 1 || maxTracked > 1_000_000) {
        throw new IllegalArgumentException("maxTracked must be 1..1000000: " + maxTracked);
      }
      this.maxTracked = maxTracked;
      return this;
    }

    /**
     * Builds the control; the builder is left as it was.
     *
     * @return a new control over the store
     */
    public IncidentControl build() {
      return new IncidentControl(this,
          store != null ? store : new InMemoryIncidentStore(clock, InMemoryIncidentStore.DEFAULT_MAX_ENTRIES));
    }
  }
}
