/**
 * The standard {@link dev.f2p.core.spi.ResourceGuard}: GPU slots per device, a bounded fair queue, cost
 * ceilings and budget, memory headroom and a circuit breaker.
 */
@NullMarked
package dev.f2p.security.guard;

import org.jspecify.annotations.NullMarked;
