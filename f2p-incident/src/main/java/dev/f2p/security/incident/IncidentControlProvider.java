package dev.f2p.security.incident;

import java.util.HashSet;
import java.util.Set;

import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.AuthorizerProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds the one {@link IncidentControl} of a client from settings: {@code f2p.authorizers=incident}
 * (list your role authorizer too: a non-empty list replaces the default). The control is the whole
 * feature: the client asks it before authentication (blocks, lockdown), after authentication
 * (revocations, suspensions, lockdown) and tells it every event (containment rules); nothing else needs
 * registering. The built control is also registered as the shared object {@link #SHARED_KEY}, so the host
 * can reach it ({@code PolicySettings.findShared}) for its admin console.
 *
 * <p>Settings, under {@code f2p.authorizer.incident.}:
 *
 * <ul>
 *   <li>{@code file}: the journal that keeps state across restarts; in memory when absent
 *   <li>{@code store}: instead of {@code file}, the name of an {@link IncidentStoreProvider}, such as
 *       {@code redis} (f2p-redis) to share the state between instances; it reads its settings here
 *   <li>{@code max-entries}: restrictions held at most (default 100000)
 *   <li>{@code rule.<name>}: a {@link ContainmentRule}, such as
 *       {@code rule.prompt-abuse=PROMPT_REJECTED by principal 5/10m -> suspend 1h}
 *   <li>{@code default-rules}: {@code true} (default) adds {@link ContainmentRule#PROMPT_ABUSE},
 *       {@link ContainmentRule#CREDENTIAL_STUFFING} and {@link ContainmentRule#EXPLICIT_OUTPUT} when no
 *       {@code rule.*} is given
 *   <li>{@code max-tracked}: subjects tracked per rule (default 10000)
 * </ul>
 */
public final class IncidentControlProvider implements AuthorizerProvider {
  /** The shared-object key under which the built control is registered for the host. */
  public static final String SHARED_KEY = "incident-control";

  /** Made by {@link java.util.ServiceLoader}. */
  public IncidentControlProvider() {}

  @Override
  public String name() {
    return "incident";
  }

  @Override
  public Set<String> settingNames(PolicySettings settings) {
    Set<String> names = new HashSet<>(Set.of("file", "store", "max-entries", "rule.*", "default-rules", "max-tracked"));
    settings.get("store").ifPresent(s -> names.addAll(PolicyProviders.settingNames(IncidentStoreProvider.class, s,
        settings)));
    return names;
  }

  /**
   * Builds the control and registers it for the host; a second control for the same client is refused.
   *
   * @param settings the settings under {@code f2p.authorizer.incident.}
   * @return the control, which is the authorizer
   */
  @Override
  public Authorizer create(PolicySettings settings) {
    IncidentControl built = build(settings);
    IncidentControl registered = settings.shared(SHARED_KEY, IncidentControl.class, () -> built);
    if (registered != built) {
      built.close();
      throw new IllegalStateException("incident control is configured twice for one client ("
          + settings.fullName("*") + "); list incident once in f2p.authorizers");
    }
    return built;
  }

  /** The control the settings describe; fails naming the setting. */
  static IncidentControl build(PolicySettings settings) {
    IncidentControl.Builder b = IncidentControl.builder();
    b.maxTracked(settings.getInt("max-tracked", IncidentControl.DEFAULT_MAX_TRACKED));
    PolicySettings rules = settings.scope("rule");
    rules.asMap().keySet().forEach(name ->
        b.addRule(ContainmentRule.parse(settings.fullName("rule." + name), rules.require(name))));
    if (rules.asMap().isEmpty() && settings.getBoolean("default-rules", true)) {
      b.addRule(ContainmentRule.PROMPT_ABUSE).addRule(ContainmentRule.CREDENTIAL_STUFFING)
          .addRule(ContainmentRule.EXPLICIT_OUTPUT);
    }
    // The store last: it may hold a file or a connection, and every other setting is checked by now.
    return b.store(store(settings)).build();
  }

  private static IncidentStore store(PolicySettings settings) {
    int maxEntries = settings.getInt("max-entries", InMemoryIncidentStore.DEFAULT_MAX_ENTRIES);
    Optional<Path> file = settings.getPath("file");
    Optional<String> store = settings.get("store");
    if (store.isPresent()) {
      if (file.isPresent()) {
        throw new IllegalArgumentException("set " + settings.fullName("file") + " or " + settings.fullName("store") + ", not both");
      }
      return PolicyProviders.create(IncidentStoreProvider.class, store.get(), settings);
    }
    try {
      return file.isPresent() ? FileIncidentStore.open(file.get(), Clock.systemUTC(), maxEntries)
          : new InMemoryIncidentStore(Clock.systemUTC(), maxEntries);
    } catch (IOException e) {
      throw new UncheckedIOException(settings.fullName("file") + ": cannot open " + file.get(), e);
    }
  }
}
