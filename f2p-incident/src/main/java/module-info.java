/** Incident control: revocations, suspensions, blocks, lockdown, containment rules, the journal. */
module dev.f2p.incident {
  requires transitive dev.f2p.core;
  requires static org.jspecify;

  exports dev.f2p.security.incident;

  uses dev.f2p.security.incident.IncidentStoreProvider;

  provides dev.f2p.core.spi.AuthorizerProvider with dev.f2p.security.incident.IncidentControlProvider;
}
