package dev.f2p.security.ratelimit;

import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.internal.BuilderOptions;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.security.internal.CallerMap;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Token-bucket rate limits per principal and per client address, on Bucket4j.
 *
 * <p>Each request takes one token from the address's bucket and one from the principal's; both must
 * have one. The address bucket is independent of keys, so one address cannot spread a flood over many
 * keys, and the principal bucket is independent of addresses (and of which of its keys it uses, so a
 * rotation does not reset a quota). The principal's bucket is keyed by its plan too: when its roles or
 * override change, it starts a bucket under the new limits and the old one idles out. The principal's limits are, first match wins: its per-principal
 * override, the most generous of its roles' limits, the default limits. A refusal carries a
 * retry-after and the {@link Quota} that refused; an allowed decision hands on the tighter of the two
 * quotas, for IETF {@code RateLimit} headers.
 *
 * <p>Exact under concurrency: the arithmetic is Bucket4j's atomic consume on whatever bucket the
 * {@link BucketStore} returns, and a token taken from the address for a request the principal's bucket
 * then refuses is given back. Immutable and thread-safe; build one and share it.
 */
public final class TokenBucketRateLimiter implements RateLimiter {
  /** The default limit per principal: the classic deployment's {@code 10/minute}. */
  public static final List<RateLimit> DEFAULT_LIMITS = List.of(RateLimit.parse("10/minute"));
  /** The default limit per client address: {@code 100/minute}. */
  public static final List<RateLimit> DEFAULT_ADDRESS_LIMITS = List.of(RateLimit.parse("100/minute"));

  private final BucketStore store;
  private final Plan defaultPlan;
  private final Map<Role, Plan> rolePlans;
  private final Map<String, Plan> principalPlans;
  private final Optional<Plan> addressPlan;

  private TokenBucketRateLimiter(Builder b) {
    this.store = b.store != null ? b.store : LocalBucketStore.ofDefaults();
    this.defaultPlan = new Plan("default", b.defaultLimits);
    Map<Role, Plan> roles = new HashMap<>();
    b.roleLimits.forEach((role, limits) -> roles.put(role, new Plan("role-" + role.name().toLowerCase(Locale.ROOT), limits)));
    this.rolePlans = Map.copyOf(roles);
    Map<String, Plan> principals = new HashMap<>();
    b.principalLimits.forEach((id, limits) -> principals.put(id, new Plan("principal", limits)));
    this.principalPlans = Map.copyOf(principals);
    this.addressPlan = b.addressLimits.isEmpty() ? Optional.empty() : Optional.of(new Plan("address", b.addressLimits));
  }

  /**
   * A builder holding the defaults: {@link #DEFAULT_LIMITS} per principal, {@link #DEFAULT_ADDRESS_LIMITS}
   * per address, buckets in a {@link LocalBucketStore}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Decision<Quota> tryAcquire(Principal principal, String clientAddress) {
    if (addressPlan.isPresent()) {
      Optional<BucketStore.AsyncBuckets> async = store.async();
      if (async.isPresent()) {
        return tryAcquireAtOnce(async.get(), principal, clientAddress, addressPlan.get());
      }
    }
    @Nullable Bucket addressBucket = null;
    @Nullable ConsumptionProbe addressProbe = null;
    if (addressPlan.isPresent()) {
      Plan plan = addressPlan.get();
      addressBucket = store.bucket(CallerMap.key("a", clientAddress), plan.configuration);
      addressProbe = addressBucket.tryConsumeAndReturnRemaining(1);
      if (!addressProbe.isConsumed()) {
        return rejectAddress(plan, addressProbe);
      }
    }
    Plan plan = planFor(principal);
    ConsumptionProbe probe = store.bucket(principalKey(plan, principal), plan.configuration).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      if (addressBucket != null) {
        // This request will not run: the address should not pay for it.
        addressBucket.addTokens(1);
      }
      return rejectPrincipal(plan, probe);
    }
    return allow(addressProbe, plan, probe);
  }

  /**
   * Both buckets asked at once, with the outcome of asking them in turn: a refusal by the address wins
   * (and gives the principal back its token), a refusal by the principal gives the address back its
   * token. While a refused request's token is out, a concurrent request on that bucket may be refused
   * that would have found it; never is one admitted beyond the limits.
   */
  private Decision<Quota> tryAcquireAtOnce(BucketStore.AsyncBuckets async, Principal principal, String clientAddress,
      Plan addressPlan) {
    Plan plan = planFor(principal);
    AsyncBucketProxy addressBucket = async.bucket(CallerMap.key("a", clientAddress), addressPlan.configuration);
    AsyncBucketProxy principalBucket = async.bucket(principalKey(plan, principal), plan.configuration);
    CompletableFuture<ConsumptionProbe> addressFuture = addressBucket.tryConsumeAndReturnRemaining(1);
    CompletableFuture<ConsumptionProbe> principalFuture = principalBucket.tryConsumeAndReturnRemaining(1);
    long timeout = async.timeout().toNanos();
    long deadline = System.nanoTime() + timeout;
    ConsumptionProbe addressProbe;
    ConsumptionProbe probe;
    try {
      addressProbe = await(addressFuture, deadline);
      probe = await(principalFuture, deadline);
    } catch (RuntimeException e) {
      // The request fails; whichever token was or will yet be taken for it goes back, without waiting.
      refundWhenTaken(addressFuture, addressBucket);
      refundWhenTaken(principalFuture, principalBucket);
      throw e;
    }
    if (!addressProbe.isConsumed()) {
      if (probe.isConsumed()) {
        await(principalBucket.addTokens(1), System.nanoTime() + timeout);
      }
      return rejectAddress(addressPlan, addressProbe);
    }
    if (!probe.isConsumed()) {
      await(addressBucket.addTokens(1), System.nanoTime() + timeout);
      return rejectPrincipal(plan, probe);
    }
    return allow(addressProbe, plan, probe);
  }

  private static void refundWhenTaken(CompletableFuture<ConsumptionProbe> consume, AsyncBucketProxy bucket) {
    consume.thenAccept(probe -> {
      if (probe.isConsumed()) {
        bucket.addTokens(1);
      }
    });
  }

  /** The future's value by {@code deadline} ({@link System#nanoTime()}); a failure or a late answer throws. */
  private static <T> T await(CompletableFuture<T> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException("bucket store failed: " + cause, cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new IllegalStateException("bucket store did not answer in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the bucket store", e);
    }
  }

  private static String principalKey(Plan plan, Principal principal) {
    return CallerMap.key("p", plan.name + ":" + principal.id());
  }

  /** Allowed: hands on the tighter of the two quotas. */
  private Decision<Quota> allow(@Nullable ConsumptionProbe addressProbe, Plan plan, ConsumptionProbe probe) {
    if (addressProbe != null && addressProbe.getRemainingTokens() < probe.getRemainingTokens()) {
      return Decision.allow(addressPlan.orElseThrow().quota(addressProbe));
    }
    return Decision.allow(plan.quota(probe));
  }

  private static Decision<Quota> rejectAddress(Plan plan, ConsumptionProbe probe) {
    return reject(plan, probe, "ADDRESS_QUOTA", "Too many requests from this address.");
  }

  private static Decision<Quota> rejectPrincipal(Plan plan, ConsumptionProbe probe) {
    return reject(plan, probe, "KEY_QUOTA", "Too many requests for this key.");
  }

  /** The plan a principal is limited by: its override, else its most generous role, else the default. */
  Plan planFor(Principal principal) {
    Plan own = principalPlans.get(principal.id());
    if (own != null) {
      return own;
    }
    @Nullable Plan best = null;
    for (Role role : principal.roles()) {
      Plan p = rolePlans.get(role);
      if (p != null && (best == null || p.generosity > best.generosity
          || (p.generosity == best.generosity && p.name.compareTo(best.name) < 0))) {
        best = p;
      }
    }
    return best != null ? best : defaultPlan;
  }

  private static Decision<Quota> reject(Plan plan, ConsumptionProbe probe, String detail, String message) {
    Duration retryAfter = ceilMillis(probe.getNanosToWaitForRefill());
    Quota quota = new Quota(plan.name, plan.shown.limit(), plan.shown.window(), 0, retryAfter);
    return Decision.reject(Rejection.of(ReasonCode.RATE_LIMITED, detail, message)
        .withRetryAfter(retryAfter).withQuota(quota), Map.of("ratelimit.policy", plan.name));
  }

  private static Duration ceilMillis(long nanos) {
    return Duration.ofMillis((nanos + 999_999) / 1_000_000);
  }

  /** One set of limits as one Bucket4j configuration, shared by every bucket on that plan. */
  static final class Plan {
    final String name;
    final BucketConfiguration configuration;
    /** The limit reported in quotas: the one with the fewest tokens, which binds first. */
    final RateLimit shown;
    /** The slowest sustained rate of the plan's limits, in requests per second: higher is more generous. */
    final double generosity;

    Plan(String name, List<RateLimit> limits) {
      this.name = name;
      var config = BucketConfiguration.builder();
      RateLimit smallest = limits.get(0);
      double slowest = Double.MAX_VALUE;
      for (RateLimit limit : limits) {
        config.addLimit(Bandwidth.builder().capacity(limit.limit()).refillGreedy(limit.limit(), limit.window()).build());
        if (limit.limit() < smallest.limit()) {
          smallest = limit;
        }
        slowest = Math.min(slowest, limit.limit() / (limit.window().toNanos() / 1e9));
      }
      this.configuration = config.build();
      this.shown = smallest;
      this.generosity = slowest;
    }

    Quota quota(ConsumptionProbe probe) {
      long remaining = probe.getRemainingTokens();
      // With none left, the next token comes after one refill step of the binding limit.
      Duration reset = remaining > 0 ? Duration.ZERO : shown.window().dividedBy(shown.limit());
      return new Quota(name, shown.limit(), shown.window(), remaining, reset);
    }
  }

  /** Builds a {@link TokenBucketRateLimiter}. Not thread-safe. */
  public static final class Builder {
    private @Nullable BucketStore store;
    private List<RateLimit> defaultLimits = DEFAULT_LIMITS;
    private List<RateLimit> addressLimits = DEFAULT_ADDRESS_LIMITS;
    private final Map<Role, List<RateLimit>> roleLimits = new HashMap<>();
    private final Map<String, List<RateLimit>> principalLimits = new HashMap<>();

    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * Where buckets live; default a {@link LocalBucketStore} with its defaults. Instances behind one load
     * balancer share a distributed store, or each enforces the limits on its own share of the traffic.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(BucketStore store) {
      this.store = options.once("store", store);
      return this;
    }

    /**
     * Limits for principals with no override and no role that has limits; default {@link #DEFAULT_LIMITS}.
     *
     * @param limits as {@link RateLimit#parseAll} reads them, such as {@code 10/minute}
     * @return this builder
     * @throws IllegalArgumentException when the limits do not parse
     */
    public Builder defaultLimits(String limits) {
      options.once("defaultLimits");
      this.defaultLimits = RateLimit.parseAll(limits);
      return this;
    }

    /**
     * Limits for principals holding {@code role}; a principal with several such roles gets the most
     * generous.
     *
     * @param role the role, set once
     * @param limits as {@link RateLimit#parseAll} reads them, such as {@code 100/hour;1000/day}
     * @return this builder
     * @throws IllegalArgumentException when the limits do not parse
     */
    public Builder roleLimits(Role role, String limits) {
      options.once("limits for role " + Objects.requireNonNull(role, "role"));
      roleLimits.put(role, RateLimit.parseAll(limits));
      return this;
    }

    /**
     * Limits for one principal, overriding its roles', whichever of its keys it uses.
     *
     * @param principalId the principal, set once
     * @param limits as {@link RateLimit#parseAll} reads them
     * @return this builder
     * @throws IllegalArgumentException when the limits do not parse
     */
    public Builder principalLimits(String principalId, String limits) {
      options.once("limits for principal " + Objects.requireNonNull(principalId, "principalId"));
      principalLimits.put(principalId, RateLimit.parseAll(limits));
      return this;
    }

    /**
     * Limits per client address, whatever the key; default {@link #DEFAULT_ADDRESS_LIMITS}. They stop one
     * address from spreading a flood over many keys. Excludes {@link #noAddressLimits()}.
     *
     * @param limits as {@link RateLimit#parseAll} reads them
     * @return this builder
     * @throws IllegalArgumentException when the limits do not parse
     */
    public Builder addressLimits(String limits) {
      setAddress(RateLimit.parseAll(limits));
      return this;
    }

    /**
     * No limit per address: only when a proxy in front already limits addresses. Excludes
     * {@link #addressLimits(String)}.
     *
     * @return this builder
     */
    public Builder noAddressLimits() {
      setAddress(List.of());
      return this;
    }

    private void setAddress(List<RateLimit> limits) {
      options.once("addressLimits");
      this.addressLimits = limits;
    }

    /**
     * The limiter.
     *
     * @return an immutable, thread-safe limiter
     */
    public TokenBucketRateLimiter build() {
      return new TokenBucketRateLimiter(this);
    }
  }
}
