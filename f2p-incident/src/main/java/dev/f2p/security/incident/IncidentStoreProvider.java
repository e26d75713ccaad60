package dev.f2p.security.incident;

import dev.f2p.core.spi.PolicyProvider;

/**
 * Builds an {@link IncidentStore} by name for the {@code incident} providers' {@code store} setting (such
 * as {@code redis} from {@code f2p-redis}); it reads the incident settings scope. Register implementations
 * in {@code META-INF/services/dev.f2p.security.incident.IncidentStoreProvider}.
 */
public interface IncidentStoreProvider extends PolicyProvider<IncidentStore> {}
