package dev.f2p.security.auth;

import java.util.Objects;

/**
 * A key just issued: the only time the key itself exists outside the caller's hands. Show it once and
 * drop it; the store keeps only {@link #record()}, which holds its hash. {@link #toString()} never
 * prints the key. Immutable.
 */
public final class IssuedKey {
  private final String key;
  private final ApiKeyRecord record;

  IssuedKey(String key, ApiKeyRecord record) {
    this.key = Objects.requireNonNull(key, "key");
    this.record = Objects.requireNonNull(record, "record");
  }

  /** The key to hand to its holder, such as {@code f2p_live_ab12cd34ef56_...}. Never log it. */
  public String key() {
    return key;
  }

  /** The key's public id. */
  public String keyId() {
    return record.keyId();
  }

  /** What was stored. */
  public ApiKeyRecord record() {
    return record;
  }

  @Override
  public String toString() {
    return "IssuedKey{" + record.keyId() + ", key=<redacted>}";
  }
}
