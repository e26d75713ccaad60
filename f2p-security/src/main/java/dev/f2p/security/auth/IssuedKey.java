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

  /**
   * The key to hand to its holder. Never log it: it is not stored anywhere, so a lost key is replaced,
   * not recovered.
   *
   * @return the whole key, such as {@code f2p_live_ab12cd34ef56_...}
   */
  public String key() {
    return key;
  }

  /**
   * The key's public id, safe to log and show; revocation and rotation name the key by it.
   *
   * @return the key id
   */
  public String keyId() {
    return record.keyId();
  }

  /**
   * What was stored: the hash, never the key.
   *
   * @return the record
   */
  public ApiKeyRecord record() {
    return record;
  }

  @Override
  public String toString() {
    return "IssuedKey{" + record.keyId() + ", key=<redacted>}";
  }
}
