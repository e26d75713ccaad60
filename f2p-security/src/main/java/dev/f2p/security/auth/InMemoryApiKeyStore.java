package dev.f2p.security.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Key records in memory only, for tests and for hosts that load keys themselves. Thread-safe. */
public final class InMemoryApiKeyStore implements ApiKeyStore {
  private final Map<String, ApiKeyRecord> records = new ConcurrentHashMap<>();

  @Override
  public Optional<ApiKeyRecord> find(String keyId) {
    return Optional.ofNullable(records.get(keyId));
  }

  @Override
  public List<ApiKeyRecord> list() {
    return List.copyOf(records.values());
  }

  @Override
  public synchronized void save(List<ApiKeyRecord> toSave) {
    for (ApiKeyRecord r : toSave) {
      records.put(r.keyId(), r);
    }
  }
}
