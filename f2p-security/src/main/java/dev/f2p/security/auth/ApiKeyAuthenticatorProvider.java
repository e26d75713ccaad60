package dev.f2p.security.auth;

import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.AuthenticatorProvider;
import dev.f2p.core.spi.PolicySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code api-key} authenticator: an {@link ApiKeyAuthenticator} over a {@link FileApiKeyStore}.
 * Settings (under {@code f2p.authenticator.}):
 *
 * <ul>
 *   <li>{@code file}: the key file (required; it must exist)
 *   <li>{@code pepper} or {@code pepper-env} (the name of an environment variable holding it): the HMAC
 *       pepper, at least 16 bytes; without either, keys are hashed with plain SHA-256
 *   <li>{@code reload-interval}: how often the file is checked for changes, default {@code 1s}
 *   <li>{@code lockout.threshold} (failures from one address before it is locked out, default 10),
 *       {@code lockout.key-threshold} (wrong secrets for one key id that raise a {@code KEY_UNDER_ATTACK}
 *       alert; the key is never locked; default 20, 0 for none),
 *       {@code lockout.window} (default {@code 15m}), {@code lockout.base} (default {@code 1m}),
 *       {@code lockout.max} (default {@code 1h}), {@code lockout.max-tracked} (default 100000)
 *   <li>{@code lockout.store}: where lockout counters live, {@code local} (default) or the name of a
 *       {@link LockoutStoreProvider} such as {@code redis} (f2p-redis), which reads its own settings here
 * </ul>
 */
public final class ApiKeyAuthenticatorProvider implements AuthenticatorProvider {
  @Override
  public String name() {
    return "api-key";
  }

  @Override
  public Set<String> settingNames(PolicySettings settings) {
    Set<String> names = new java.util.HashSet<>(Set.of("file", "reload-interval", "pepper", "pepper-env",
        "lockout.threshold", "lockout.key-threshold", "lockout.window", "lockout.base", "lockout.max",
        "lockout.store", "lockout.max-tracked"));
    settings.get("lockout.store").filter(n -> !n.equals("local"))
        .ifPresent(n -> names.addAll(lockoutStoreProvider(settings.scope("lockout"), n).settingNames(settings)));
    return names;
  }

  @Override
  public Authenticator create(PolicySettings settings) throws Exception {
    Path file = Path.of(settings.require("file"));
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(settings.fullName("file") + " is not a file: " + file);
    }
    Clock clock = Clock.systemUTC();
    FileApiKeyStore store = FileApiKeyStore.open(file, clock,
        settings.getDuration("reload-interval", FileApiKeyStore.DEFAULT_RELOAD_INTERVAL));
    PolicySettings l = settings.scope("lockout");
    LockoutPolicy lockout = LockoutPolicy.builder()
        .threshold(l.getInt("threshold", LockoutPolicy.DEFAULT_THRESHOLD))
        .keyThreshold(l.getInt("key-threshold", LockoutPolicy.DEFAULT_KEY_THRESHOLD))
        .window(l.getDuration("window", LockoutPolicy.DEFAULT_WINDOW))
        .baseLockout(l.getDuration("base", LockoutPolicy.DEFAULT_BASE_LOCKOUT))
        .maxLockout(l.getDuration("max", LockoutPolicy.DEFAULT_MAX_LOCKOUT))
        .build();
    return ApiKeyAuthenticator.builder()
        .store(store)
        .hasher(hasher(settings))
        .clock(clock)
        .lockout(lockout)
        .lockoutStore(lockoutStore(settings, l, lockout, clock))
        .build();
  }

  private static LockoutStore lockoutStore(PolicySettings settings, PolicySettings l, LockoutPolicy lockout, Clock clock)
      throws Exception {
    Optional<String> name = l.get("store");
    if (name.isEmpty() || name.get().equals("local")) {
      return LocalLockoutStore.forPolicy(lockout, l.getInt("max-tracked", LocalLockoutStore.DEFAULT_MAX_TRACKED), clock);
    }
    return lockoutStoreProvider(l, name.get()).create(settings, lockout);
  }

  private static LockoutStoreProvider lockoutStoreProvider(PolicySettings lockoutScope, String name) {
    for (LockoutStoreProvider p : java.util.ServiceLoader.load(LockoutStoreProvider.class)) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(lockoutScope.fullName("store") + ": no lockout store named " + name
        + " (is its module on the class path?)");
  }

  /**
   * The hasher the settings name: shared with the keys command, which must hash the same way.
   *
   * @param settings the authenticator's settings: {@code pepper} (the pepper itself) or {@code pepper-env}
   *     (the environment variable holding it), at most one; neither for plain SHA-256
   * @return an HMAC-SHA256 hasher with the pepper, or {@link KeyHasher#sha256()}
   * @throws IllegalArgumentException when both are set, the variable is unset or blank, or the pepper is
   *     too short; the message names the setting, never the pepper
   */
  public static KeyHasher hasher(PolicySettings settings) {
    Optional<String> pepper = settings.get("pepper");
    Optional<String> env = settings.get("pepper-env");
    if (pepper.isPresent() && env.isPresent()) {
      throw new IllegalArgumentException("set " + settings.fullName("pepper") + " or " + settings.fullName("pepper-env") + ", not both");
    }
    if (env.isPresent()) {
      String value = System.getenv(env.get());
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(settings.fullName("pepper-env") + " names an unset environment variable: " + env.get());
      }
      pepper = Optional.of(value);
    }
    try {
      return pepper.map(p -> KeyHasher.hmacSha256(p.getBytes(StandardCharsets.UTF_8))).orElseGet(KeyHasher::sha256);
    } catch (IllegalArgumentException e) {
      // Never echo the pepper itself.
      throw new IllegalArgumentException(settings.fullName("pepper") + ": " + e.getMessage());
    }
  }
}
