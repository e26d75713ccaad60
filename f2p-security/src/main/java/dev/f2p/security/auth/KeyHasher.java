package dev.f2p.security.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Turns a key into the hash stored for it: HMAC-SHA256 under a server-side pepper (recommended: a stolen
 * key file alone then cannot confirm a guessed key), or plain SHA-256. Keys carry at least 128 random
 * bits, so no slow password hash is needed. Thread-safe (one MAC or digest per thread).
 */
public final class KeyHasher {
  /** The algorithm name of plain SHA-256. */
  public static final String SHA256 = "sha256";
  /** The algorithm name of HMAC-SHA256 under a pepper. */
  public static final String HMAC_SHA256 = "hmac-sha256";
  /** The shortest pepper accepted, in bytes. */
  public static final int MIN_PEPPER_BYTES = 16;

  private final String algorithm;
  private final @Nullable ThreadLocal<Mac> mac;
  private final @Nullable ThreadLocal<MessageDigest> digest;

  private KeyHasher(String algorithm, byte @Nullable [] pepper) {
    this.algorithm = algorithm;
    if (pepper != null) {
      SecretKeySpec secret = new SecretKeySpec(pepper, "HmacSHA256");
      this.mac = ThreadLocal.withInitial(() -> {
        try {
          Mac m = Mac.getInstance("HmacSHA256");
          m.init(secret);
          return m;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
      });
      this.digest = null;
    } else {
      this.mac = null;
      this.digest = ThreadLocal.withInitial(() -> {
        try {
          return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("SHA-256 is unavailable", e);
        }
      });
    }
  }

  /**
   * Plain SHA-256 of the key: enough against a stolen key file only because keys are random; prefer
   * {@link #hmacSha256} where a pepper can be kept apart from the file.
   *
   * @return the hasher
   */
  public static KeyHasher sha256() {
    return new KeyHasher(SHA256, null);
  }

  /**
   * HMAC-SHA256 of the key under {@code pepper}. Keys issued under one pepper only match under the same
   * one: changing it invalidates every key.
   *
   * @param pepper the server-side secret, at least {@value #MIN_PEPPER_BYTES} bytes; copied, so the
   *     caller may clear its array
   * @return the hasher
   * @throws IllegalArgumentException when the pepper is shorter than {@value #MIN_PEPPER_BYTES} bytes
   */
  public static KeyHasher hmacSha256(byte[] pepper) {
    Objects.requireNonNull(pepper, "pepper");
    if (pepper.length < MIN_PEPPER_BYTES) {
      throw new IllegalArgumentException("pepper must be at least " + MIN_PEPPER_BYTES + " bytes, was " + pepper.length);
    }
    return new KeyHasher(HMAC_SHA256, pepper.clone());
  }

  /**
   * The name written into every hash this hasher makes.
   *
   * @return {@link #SHA256} or {@link #HMAC_SHA256}
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * The hash to store for {@code key}.
   *
   * @param key the whole key, ASCII (a character outside ASCII hashes as {@code ?})
   * @return its hash, tagged with this hasher's algorithm
   */
  public KeyHash hash(String key) {
    return new KeyHash(algorithm, digest(key));
  }

  /**
   * Whether {@code key} hashes to {@code stored}, compared in constant time so the time taken tells a
   * guesser nothing about how close the guess was.
   *
   * @param key the presented key
   * @param stored the hash from the key's record
   * @return true only when the algorithms agree and the digests are equal
   */
  public boolean matches(String key, KeyHash stored) {
    return stored.matches(algorithm, digest(key));
  }

  private byte[] digest(String key) {
    byte[] input = key.getBytes(StandardCharsets.US_ASCII);
    if (mac != null) {
      return mac.get().doFinal(input);
    }
    return Objects.requireNonNull(digest).get().digest(input);
  }

  @Override
  public String toString() {
    return "KeyHasher{" + algorithm + "}";
  }
}
