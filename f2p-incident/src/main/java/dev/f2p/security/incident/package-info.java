/**
 * Incident control: revocations, suspensions, blocks and lockdown an operator or a containment rule
 * applies, enforced on the next request and kept in an {@link dev.f2p.security.incident.IncidentStore}.
 */
@NullMarked
package dev.f2p.security.incident;

import org.jspecify.annotations.NullMarked;
