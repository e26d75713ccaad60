package dev.f2p.core.spi;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;

/**
 * May this principal make this request: roles against configured permissions (which output sizes and
 * step counts), suspensions, lockdown. Refuses with {@link ReasonCode#FORBIDDEN} (or
 * {@link ReasonCode#SERVICE_LOCKED_DOWN}). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Authorizer {
  /**
   * Whether {@code principal} may make {@code request}.
   *
   * @param principal the authenticated caller
   * @param request what it asks for (size, steps)
   * @return allowed with the principal, or the refusal
   */
  Decision<Principal> authorize(Principal principal, EditRequest request);

  /**
   * Whether a caller from {@code clientAddress} may be heard at all, asked before authentication so a
   * refused caller costs no key hashing (a blocked address, a lockdown for everyone). A refusal is
   * recorded at {@link dev.f2p.core.Stage#AUTHENTICATION}. By default everyone is heard.
   *
   * @param clientAddress the caller's address as the host gave it
   * @return allowed with the address, or the refusal
   */
  default Decision<String> beforeAuthentication(String clientAddress) {
    return Decision.allow(clientAddress);
  }

  /**
   * {@link #beforeAuthentication} for a caller of an administrative action (revoke, suspend, lift a
   * lockdown). The default asks {@link #beforeAuthentication}; an authorizer that refuses everyone there
   * during a lockdown must not do so here, or no admin could ever lift it.
   *
   * @param clientAddress the caller's address as the host gave it
   * @return allowed with the address, or the refusal
   */
  default Decision<String> beforeAdminAuthentication(String clientAddress) {
    return beforeAuthentication(clientAddress);
  }

  /**
   * Whether {@code principal} may perform an administrative action (revoke, suspend, lockdown, metrics).
   * By default only {@link Role#ADMIN} may.
   *
   * @param principal the authenticated caller
   * @param action the action, such as {@code revoke}
   * @return allowed with the principal, or the refusal
   */
  default Decision<Principal> authorizeAdmin(Principal principal, String action) {
    return principal.hasRole(Role.ADMIN) ? Decision.allow(principal) : Decision.reject(ReasonCode.FORBIDDEN);
  }

  /**
   * The authorizer used when the host sets none: a principal holding {@link Role#ADMIN},
   * {@link Role#USER} or {@link Role#TRIAL} may edit; one holding none of them may not.
   *
   * @return the authorizer
   */
  static Authorizer standardRoles() {
    return (principal, request) ->
        principal.hasRole(Role.ADMIN) || principal.hasRole(Role.USER) || principal.hasRole(Role.TRIAL)
            ? Decision.allow(principal)
            : Decision.reject(ReasonCode.FORBIDDEN);
  }
}
