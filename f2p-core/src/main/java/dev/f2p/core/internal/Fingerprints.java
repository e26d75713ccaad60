package dev.f2p.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Fingerprints that identify data in logs without revealing it: {@code sha256:<hex>} of image bytes, and
 * a truncated SHA-256 of a prompt (enough to correlate requests, too short to be a useful dictionary
 * oracle on its own).
 */
public final class Fingerprints {
  private Fingerprints() {}

  public static String image(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256(bytes));
  }

  public static String prompt(String prompt) {
    byte[] digest = sha256(prompt.getBytes(StandardCharsets.UTF_8));
    return "sha256/64:" + HexFormat.of().formatHex(digest, 0, 8);
  }

  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
