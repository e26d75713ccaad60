package dev.f2p.security.incident;

import dev.f2p.core.Principal;
import dev.f2p.core.Rejection;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
import java.util.Optional;

/** Refuses blocked addresses and a lockdown for everyone before the delegate hashes anything. */
final class GuardedAuthenticator implements Authenticator, SecurityEventSource, AutoCloseable {
  private final IncidentControl control;
  private final Authenticator delegate;

  GuardedAuthenticator(IncidentControl control, Authenticator delegate) {
    this.control = control;
    this.delegate = delegate;
  }

  @Override
  public Decision<Principal> authenticate(String presentedKey, String clientAddress) {
    Optional<Rejection> refused = control.checkBeforeAuthentication(clientAddress);
    return refused.isPresent() ? Decision.reject(refused.get()) : delegate.authenticate(presentedKey, clientAddress);
  }

  @Override
  public void attach(SecurityEventPublisher publisher) {
    control.attach(publisher);
    if (delegate instanceof SecurityEventSource source) {
      source.attach(publisher);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (delegate instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } finally {
      control.close();
    }
  }

  @Override
  public String toString() {
    return "IncidentControl.guard(" + delegate + ")";
  }
}
