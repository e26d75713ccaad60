package dev.f2p.security.incident;

import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.AuthenticatorProvider;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.AuthorizerProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.SecurityEventListenerProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The providers that make one {@link IncidentControl} per client from settings, all named
 * {@code incident}: as an authorizer ({@code f2p.authorizers=incident}), as a listener
 * ({@code f2p.listeners=incident}, which arms the containment rules) and as an authenticator decorator
 * ({@code f2p.authenticator=incident} with {@code f2p.authenticator.delegate=<the real one>}; the
 * delegate reads its usual settings under {@code f2p.authenticator.}). All three share one instance
 * through {@code PolicySettings.shared("incident-control", ...)}.
 *
 * <p>Settings, under {@code f2p.authorizer.incident.}, {@code f2p.listener.incident.} or
 * {@code f2p.authenticator.incident.} (give them in one of these places):
 *
 * <ul>
 *   <li>{@code file}: the journal that keeps state across restarts; in memory when absent
 *   <li>{@code store}: instead of {@code file}, the name of an {@link IncidentStoreProvider}, such as
 *       {@code redis} (f2p-redis) to share the state between instances; it reads its settings here
 *   <li>{@code max-entries}: restrictions held at most (default 100000)
 *   <li>{@code rule.<name>}: a {@link ContainmentRule}, such as
 *       {@code rule.prompt-abuse=PROMPT_REJECTED by principal 5/10m -> suspend 1h}
 *   <li>{@code default-rules}: {@code true} (default) adds {@link ContainmentRule#PROMPT_ABUSE} and
 *       {@link ContainmentRule#CREDENTIAL_STUFFING} when no {@code rule.*} is given
 *   <li>{@code max-tracked}: subjects tracked per rule (default 10000)
 * </ul>
 */
public final class IncidentProviders {
  /** The shared-object key all three providers use. */
  public static final String SHARED_KEY = "incident-control";

  private IncidentProviders() {}

  static IncidentControl shared(PolicySettings settings) {
    IncidentControl control = settings.shared(SHARED_KEY, IncidentControl.class, () -> build(settings));
    Map<String, String> mine = settings.asMap();
    if (mine.isEmpty() || mine.equals(control.settings())) {
      return control;
    }
    if (control.settings().isEmpty()) {
      // Made first by a provider whose scope was empty: take the settings given here instead.
      control.adopt(build(settings));
    } else {
      throw new IllegalStateException("incident control is configured in two places; keep its settings under one "
          + "of f2p.authorizer.incident.*, f2p.listener.incident.* or f2p.authenticator.incident.* (found "
          + settings.fullName("*") + ")");
    }
    return control;
  }

  static IncidentControl build(PolicySettings settings) {
    IncidentControl.Builder b = IncidentControl.builder().settings(settings.asMap());
    int maxEntries = settings.getInt("max-entries", InMemoryIncidentStore.DEFAULT_MAX_ENTRIES);
    Optional<Path> file = settings.getPath("file");
    Optional<String> store = settings.get("store");
    if (store.isPresent()) {
      if (file.isPresent()) {
        throw new IllegalArgumentException("set " + settings.fullName("file") + " or " + settings.fullName("store") + ", not both");
      }
      b.store(PolicyProviders.create(IncidentStoreProvider.class, store.get(), settings));
    } else {
      try {
        b.store(file.isPresent() ? FileIncidentStore.open(file.get(), Clock.systemUTC(), maxEntries)
            : new InMemoryIncidentStore(Clock.systemUTC(), maxEntries));
      } catch (IOException e) {
        throw new UncheckedIOException(settings.fullName("file") + ": cannot open " + file.get(), e);
      }
    }
    b.maxTracked(settings.getInt("max-tracked", IncidentControl.DEFAULT_MAX_TRACKED));
    PolicySettings rules = settings.scope("rule");
    rules.asMap().keySet().forEach(name ->
        b.addRule(ContainmentRule.parse(settings.fullName("rule." + name), rules.require(name))));
    if (rules.asMap().isEmpty() && settings.getBoolean("default-rules", true)) {
      b.addRule(ContainmentRule.PROMPT_ABUSE).addRule(ContainmentRule.CREDENTIAL_STUFFING);
    }
    return b.build();
  }

  /** {@code f2p.authorizers=incident}. */
  public static final class AsAuthorizer implements AuthorizerProvider {
    @Override
    public String name() {
      return "incident";
    }

    @Override
    public Authorizer create(PolicySettings settings) {
      return shared(settings).authorizer();
    }
  }

  /** {@code f2p.listeners=incident}: arms the containment rules. */
  public static final class AsListener implements SecurityEventListenerProvider {
    @Override
    public String name() {
      return "incident";
    }

    @Override
    public SecurityEventListener create(PolicySettings settings) {
      return shared(settings);
    }
  }

  /** {@code f2p.authenticator=incident} with {@code f2p.authenticator.delegate=<name>}. */
  public static final class AsAuthenticator implements AuthenticatorProvider {
    @Override
    public String name() {
      return "incident";
    }

    @Override
    public Authenticator create(PolicySettings settings) {
      String delegate = settings.require("delegate");
      if (delegate.equals(name())) {
        throw new IllegalArgumentException(settings.fullName("delegate") + " must name another authenticator");
      }
      IncidentControl control = shared(settings.scope("incident"));
      return control.guard(PolicyProviders.create(AuthenticatorProvider.class, delegate, settings));
    }
  }
}
