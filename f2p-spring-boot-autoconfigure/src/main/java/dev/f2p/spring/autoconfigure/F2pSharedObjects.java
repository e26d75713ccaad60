package dev.f2p.spring.autoconfigure;

import dev.f2p.core.spi.PolicySettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@link PolicySettings} the client was built from, kept so the health indicator and the endpoint
 * can find the objects the providers share (the incident control). Written once while the client bean
 * is made, read afterwards; safe to read from any thread after the context refreshed.
 */
final class F2pSharedObjects {
  private final Map<String, Object[]> early = new LinkedHashMap<>();
  private volatile @Nullable PolicySettings settings;

  /** Registers an object the providers will find under {@code key} (call before {@link #attach}). */
  <T> void share(String key, Class<T> type, T value) {
    early.put(key, new Object[] {type, value});
  }

  @SuppressWarnings("unchecked")
  PolicySettings attach(Map<String, String> values) {
    PolicySettings s = PolicySettings.of(values);
    early.forEach((key, tv) -> share(s, key, (Class<Object>) tv[0], tv[1]));
    this.settings = s;
    return s;
  }

  private static <T> void share(PolicySettings s, String key, Class<T> type, T value) {
    s.shared(key, type, () -> value);
  }

  /** The settings the client was built from; empty before it was. */
  Optional<PolicySettings> settings() {
    return Optional.ofNullable(settings);
  }

  <T> Optional<T> find(String key, Class<T> type) {
    PolicySettings s = settings;
    return s == null ? Optional.empty() : s.findShared(key, type);
  }
}
