package dev.f2p.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Key names in Redis. Every name is the prefix, a kind and a hash of the subject: a key in Redis names
 * no address, principal or key id in clear, and no name can be longer than a fixed bound whatever the
 * caller sends. Thread-safe.
 */
final class Keys {
  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  /** A token bucket: {@code <prefix>rl:<hash of the limiter's key>}. */
  String bucket(String limiterKey) {
    return prefix + "rl:" + hash(limiterKey);
  }

  /** A lockout counter: {@code <prefix>lo:<hash of the subject>}. */
  String lockout(String subject) {
    return prefix + "lo:" + hash(subject);
  }

  /** The prefix of restriction keys, for SCAN. */
  String restrictionPrefix() {
    return prefix + "inc:r:";
  }

  /** A restriction, by the {@link #hash} of its target and subject (the snapshot's key too). */
  String restriction(String id) {
    return restrictionPrefix() + id;
  }

  String lockdown() {
    return prefix + "inc:lockdown";
  }

  String channel() {
    return prefix + "inc:changes";
  }

  /** SHA-256, first 16 bytes, base64url: short, collision-free in practice, not reversible. */
  static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
