package dev.f2p.core.spi;

import dev.f2p.core.Principal;
import dev.f2p.core.Quota;

/**
 * May this principal, from this address, make one more request now. Consumes a permit when it allows;
 * refuses with {@link dev.f2p.core.ReasonCode#RATE_LIMITED} and a retry-after. Implementations must be
 * thread-safe and exact under concurrency.
 */
@FunctionalInterface
public interface RateLimiter {
  /**
   * Takes one permit for the principal and the address, or refuses; allowed decisions hand on the quota.
   * {@code clientAddress} is the address's subject: a canonical IP address, or an IPv6 prefix in CIDR form
   * ({@link dev.f2p.core.ClientAddress#subject(int)}), so one subscriber's /64 is one address.
   *
   * @param principal the authenticated caller
   * @param clientAddress the address's subject
   * @return allowed with the caller's quota, or the refusal
   */
  Decision<Quota> tryAcquire(Principal principal, String clientAddress);

  /**
   * {@return a limiter with no limit at all}: only for hosts that limit elsewhere, and must be chosen
   * explicitly.
   */
  static RateLimiter unlimited() {
    return (principal, address) -> Decision.allow(Quota.NONE);
  }
}
