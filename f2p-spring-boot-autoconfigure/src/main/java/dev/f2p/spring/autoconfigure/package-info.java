/**
 * Spring Boot 4 auto-configuration of F2P Guard: {@link dev.f2p.spring.autoconfigure.F2pProperties} (the
 * {@code f2p.*} properties), {@link dev.f2p.spring.autoconfigure.F2pAutoConfiguration} (the client, host beans
 * replacing policies, metrics, health, the {@code f2p} endpoint) and
 * {@link dev.f2p.spring.autoconfigure.F2pWebAutoConfiguration} ({@code POST /generate} on Spring MVC).
 */
@NullMarked
package dev.f2p.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
