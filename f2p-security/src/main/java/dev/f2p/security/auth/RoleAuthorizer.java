package dev.f2p.security.auth;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.internal.BuilderOptions;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.Decision;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Authorization by role: each role has a {@link RolePolicy}; a principal may do what any of its roles
 * allows. A request over the limits is refused {@link ReasonCode#FORBIDDEN} with a message that states
 * the limits (such as "Trial keys may request at most 512x512 and 20 steps."); a principal with no
 * configured role may do nothing. Defaults: {@link RolePolicy#ADMIN}, {@link RolePolicy#USER},
 * {@link RolePolicy#TRIAL} for the three built-in roles. Immutable and thread-safe.
 */
public final class RoleAuthorizer implements Authorizer {
  private static final Decision<Principal> NO_ROLE = Decision.reject(
      Rejection.of(ReasonCode.FORBIDDEN, "NO_ROLE", "This key has no role that may edit images."));
  private static final Decision<Principal> NOT_ADMIN = Decision.reject(
      Rejection.of(ReasonCode.FORBIDDEN, "NOT_ADMIN", "This key may not perform administrative actions."));

  private final Map<Role, RolePolicy> policies;

  private RoleAuthorizer(Map<Role, RolePolicy> policies) {
    this.policies = Map.copyOf(policies);
  }

  /**
   * The built-in roles with their default policies; any other role may do nothing.
   *
   * @return the authorizer
   */
  public static RoleAuthorizer ofDefaults() {
    return builder().build();
  }

  /**
   * A builder that starts from the defaults; set only the roles that differ.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Allows the request when one of the principal's roles allows it, or their union does (width from one
   * role, steps from another). Refuses with {@code NO_ROLE} when no role may edit, and with
   * {@code OVER_ROLE_LIMIT} naming the most generous role's limits when the request is too large.
   */
  @Override
  public Decision<Principal> authorize(Principal principal, EditRequest request) {
    @Nullable RolePolicy effective = null;
    @Nullable Role named = null;
    for (Role role : principal.roles()) {
      RolePolicy p = policies.get(role);
      if (p == null || !p.mayEdit()) {
        continue;
      }
      if (p.allows(request)) {
        return Decision.allow(principal);
      }
      // Name the role with the largest allowance in the refusal: that is the limit the caller has.
      if (effective == null || (long) p.maxWidth() * p.maxHeight() > (long) effective.maxWidth() * effective.maxHeight()) {
        named = role;
      }
      effective = effective == null ? p : effective.union(p);
    }
    if (effective == null) {
      return NO_ROLE;
    }
    if (effective.allows(request)) {
      // Width from one role and steps from another: each role alone refused, together they allow.
      return Decision.allow(principal);
    }
    return Decision.reject(Rejection.of(ReasonCode.FORBIDDEN, "OVER_ROLE_LIMIT",
        display(Objects.requireNonNull(named)) + " keys may request at most " + effective.maxWidth() + "x"
            + effective.maxHeight() + " and " + effective.maxSteps() + " steps."), Map.of("auth.role", named.name()));
  }

  /**
   * Allows a principal with at least one role whose policy grants {@link RolePolicy#admin()}, whatever the
   * action; refuses with {@code NOT_ADMIN} otherwise.
   */
  @Override
  public Decision<Principal> authorizeAdmin(Principal principal, String action) {
    for (Role role : principal.roles()) {
      RolePolicy p = policies.get(role);
      if (p != null && p.admin()) {
        return Decision.allow(principal);
      }
    }
    return NOT_ADMIN;
  }

  /** {@code TRIAL} as "Trial". */
  private static String display(Role role) {
    String n = role.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  /** Builds a {@link RoleAuthorizer}. Not thread-safe. */
  public static final class Builder {
    private final Map<Role, RolePolicy> policies = new HashMap<>(Map.of(
        Role.ADMIN, RolePolicy.ADMIN, Role.USER, RolePolicy.USER, Role.TRIAL, RolePolicy.TRIAL));
    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * What {@code role} may do, replacing its default; each role may be set once.
     *
     * @param role a built-in or host-defined role
     * @param policy its sizes, steps and admin right; {@link RolePolicy#NONE} takes all away
     * @return this builder
     * @throws IllegalStateException when the role was already set on this builder
     */
    public Builder role(Role role, RolePolicy policy) {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(policy, "policy");
      options.once("the policy of role " + role);
      policies.put(role, policy);
      return this;
    }

    /**
     * The authorizer.
     *
     * @return an immutable, thread-safe authorizer
     */
    public RoleAuthorizer build() {
      return new RoleAuthorizer(policies);
    }
  }
}
