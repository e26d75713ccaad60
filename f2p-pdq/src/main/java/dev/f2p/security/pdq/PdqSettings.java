package dev.f2p.security.pdq;

import dev.f2p.core.internal.Decorators;
import dev.f2p.core.spi.PolicyProvider;
import dev.f2p.core.spi.PolicySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The settings both {@code pdq} providers read, in one place. */
final class PdqSettings {
  static final String NAME = "pdq";
  static final String DELEGATE = Decorators.DELEGATE;
  static final String DELEGATE_TYPE = Decorators.DELEGATE_TYPE;
  static final String LIST = "list";
  static final String MAX_DISTANCE = "max-distance";
  static final String MAX_ENTRIES = "max-entries";
  static final String DIHEDRAL = "dihedral";
  static final String RELOAD = "reload";

  private PdqSettings() {}

  /** The settings a PDQ provider of {@code type} reads, with those of the delegate it names. */
  static <P extends PolicyProvider<?>> Set<String> settingNames(Class<P> type, PolicySettings settings) {
    return Decorators.settingNames(type, NAME, Set.of(LIST, MAX_DISTANCE, MAX_ENTRIES, DIHEDRAL, RELOAD), settings);
  }

  /** A policy and what was built for it, to be closed with it. */
  record Built<T>(T policy, List<AutoCloseable> owned) {}

  /**
   * Builds the check from {@code list}, {@code max-distance}, {@code max-entries}, {@code dihedral} and
   * {@code reload}; fingerprint only when no list is named, and then the list-only settings are refused.
   */
  static Built<PdqListCheck> check(PolicySettings settings) throws Exception {
    List<AutoCloseable> owned = new ArrayList<>();
    Optional<Path> file = settings.getPath(LIST);
    if (file.isEmpty()) {
      for (String needsList : List.of(MAX_DISTANCE, MAX_ENTRIES, DIHEDRAL, RELOAD)) {
        if (settings.get(needsList).isPresent()) {
          throw new IllegalArgumentException(settings.fullName(needsList) + " has no effect without "
              + settings.fullName(LIST));
        }
      }
      return new Built<>(PdqListCheck.fingerprintOnly(), owned);
    }
    int maxEntries = settings.getInt(MAX_ENTRIES, PdqHashList.DEFAULT_MAX_ENTRIES);
    if (maxEntries < 1) {
      throw new IllegalArgumentException(settings.fullName(MAX_ENTRIES) + " must be positive: " + maxEntries);
    }
    int maxDistance = settings.getInt(MAX_DISTANCE, PdqListCheck.DEFAULT_MAX_DISTANCE);
    if (maxDistance < 0 || maxDistance > PdqHashList.MAX_DISTANCE) {
      throw new IllegalArgumentException(settings.fullName(MAX_DISTANCE) + " must be 0.." + PdqHashList.MAX_DISTANCE
          + ": " + maxDistance);
    }
    Optional<Duration> reload = settings.get(RELOAD).map(v -> settings.getDuration(RELOAD, Duration.ZERO));
    if (reload.isPresent() && reload.get().compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(settings.fullName(RELOAD) + " must be at least 1s: " + reload.get());
    }
    Path path = file.get().toAbsolutePath().normalize();
    // The input and output policies of one client naming the same file share one loaded list.
    String key = "dev.f2p.security.pdq.list|" + path + "|" + maxEntries + "|"
        + reload.map(Duration::toString).orElse("");
    ReloadingPdqHashList list;
    try {
      list = settings.shared(key, ReloadingPdqHashList.class, () -> {
        try {
          return reload.isPresent() ? ReloadingPdqHashList.open(path, maxEntries, reload.get())
              : ReloadingPdqHashList.open(path, maxEntries);
        } catch (PdqHashListException e) {
          throw new LoadFailed(e);
        }
      });
    } catch (LoadFailed e) {
      throw new IllegalArgumentException(settings.fullName(LIST) + ": " + e.failure.getMessage(), e.failure);
    }
    owned.add(list);
    PdqListCheck check = PdqListCheck.builder().hashList(list).maxDistance(maxDistance)
        .matchDihedral(settings.getBoolean(DIHEDRAL, PdqListCheck.DEFAULT_MATCH_DIHEDRAL)).build();
    return new Built<>(check, owned);
  }

  /** Makes a decorator from its delegate, its check and what it owns. */
  @FunctionalInterface
  interface Decorator<T, D> {
    D wrap(T delegate, PdqListCheck check, List<AutoCloseable> owned);
  }

  /**
   * Builds the check, then the delegate named by {@code delegate} from the settings under
   * {@code delegate.} ({@code fallback} when none is named), and wraps it; what was built is owned by the
   * decorator, and closed at once if building fails half-way.
   */
  static <T, P extends PolicyProvider<T>, D> D decorate(Class<P> type, PolicySettings settings,
      java.util.function.Supplier<T> fallback, Decorator<T, D> decorator) throws Exception {
    return Decorators.decorate(type, NAME, settings, fallback,
        owned -> {
          Built<PdqListCheck> check = check(settings);
          owned.addAll(check.owned());
          return check.policy();
        },
        (check, delegate, owned) -> decorator.wrap(delegate, check, owned));
  }

  private static final class LoadFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final PdqHashListException failure;

    LoadFailed(PdqHashListException cause) {
      super(cause);
      this.failure = cause;
    }
  }
}
