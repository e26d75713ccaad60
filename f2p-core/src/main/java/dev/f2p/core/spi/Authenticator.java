package dev.f2p.core.spi;

import dev.f2p.core.Principal;

/**
 * Who is calling: turns presented credentials into a {@link Principal}, or refuses with
 * {@link dev.f2p.core.ReasonCode#UNAUTHENTICATED}. Runs first after request validation, so it must be
 * cheap on the rejection path and must not reveal why a key failed (unknown, revoked, expired all look
 * the same to the caller). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * @param presentedKey the credential exactly as presented; empty when none was. Never log it.
   * @param clientAddress the caller's address subject: a canonical IP address, or an IPv6 prefix in CIDR
   *     form ({@link dev.f2p.core.ClientAddress#subject(int)})
   * @return the principal, or a refusal
   */
  Decision<Principal> authenticate(String presentedKey, String clientAddress);
}
