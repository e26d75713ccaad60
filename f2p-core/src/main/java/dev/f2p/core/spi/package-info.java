/**
 * The service-provider interfaces an integrator implements to replace a policy: one small interface per
 * concern, each answering with a {@link dev.f2p.core.spi.Decision}, each discoverable through
 * {@link java.util.ServiceLoader} by a {@link dev.f2p.core.spi.PolicyProvider}.
 */
@NullMarked
package dev.f2p.core.spi;

import org.jspecify.annotations.NullMarked;
