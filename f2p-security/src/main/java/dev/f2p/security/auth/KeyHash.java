package dev.f2p.security.auth;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

/**
 * The stored form of a key: the name of the hash ({@code sha256} or {@code hmac-sha256}) and its 32
 * bytes. Written as {@code <algorithm>:<base64url>}. Immutable and thread-safe.
 */
public final class KeyHash {
  private static final int LENGTH = 32;

  private final String algorithm;
  private final byte[] bytes;

  KeyHash(String algorithm, byte[] bytes) {
    this.algorithm = algorithm;
    this.bytes = bytes;
  }

  /**
   * Parses the stored form, as a key file holds it.
   *
   * @param encoded {@code <algorithm>:<base64url of 32 bytes>}, padding optional
   * @return the hash
   * @throws IllegalArgumentException when the algorithm is unknown, the text is not base64url or the
   *     digest is not 32 bytes
   */
  public static KeyHash parse(String encoded) {
    Objects.requireNonNull(encoded, "encoded");
    int colon = encoded.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("key hash must look like sha256:<base64url>");
    }
    String algorithm = encoded.substring(0, colon);
    if (!algorithm.equals(KeyHasher.SHA256) && !algorithm.equals(KeyHasher.HMAC_SHA256)) {
      throw new IllegalArgumentException("unknown key hash algorithm: " + algorithm);
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(encoded.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key hash is not base64url", e);
    }
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("key hash must be 32 bytes, was " + bytes.length);
    }
    return new KeyHash(algorithm, bytes);
  }

  /**
   * How the digest was computed; a key hashed one way never matches a hash of the other.
   *
   * @return {@code sha256} or {@code hmac-sha256}
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * The stored form, which {@link #parse} reads back.
   *
   * @return {@code <algorithm>:<base64url>}, without padding
   */
  public String encoded() {
    return algorithm + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Constant-time comparison with a freshly computed digest. */
  boolean matches(String algorithm, byte[] digest) {
    return this.algorithm.equals(algorithm) && MessageDigest.isEqual(bytes, digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyHash h && algorithm.equals(h.algorithm) && MessageDigest.isEqual(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return algorithm.hashCode();
  }

  @Override
  public String toString() {
    return "KeyHash{" + algorithm + "}";
  }
}
