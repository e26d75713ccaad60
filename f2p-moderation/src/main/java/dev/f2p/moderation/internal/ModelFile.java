package dev.f2p.moderation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a model file into memory, bounded, and checks its SHA-256 before anything parses it: the bytes that
 * were checked are the bytes that are loaded, so a file swapped between check and load is never run.
 */
public final class ModelFile {
  /** More than any classifier this module runs; bounds what a wrong path can make us read. */
  public static final int MAX_BYTES = 64 << 20;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private ModelFile() {}

  /**
   * Checks that {@code sha256} is 64 lower-case hex digits.
   *
   * @param sha256 the expected digest
   * @param what what the digest is of, for the message
   * @return the digest
   * @throws IllegalArgumentException when it is not
   */
  public static String requireSha256(String sha256, String what) {
    String s = sha256.trim().toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(s).matches()) {
      throw new IllegalArgumentException(what + " must be 64 hex digits (SHA-256): " + sha256);
    }
    return s;
  }

  /**
   * Reads at most {@link #MAX_BYTES} from {@code in} and returns them if their SHA-256 is {@code sha256}.
   *
   * @param in the file's bytes; closed by the caller
   * @param sha256 the expected digest, lower-case hex
   * @param name the file's name, for messages
   * @return the verified bytes
   * @throws IOException when reading fails, the file is too large or its digest differs
   */
  public static byte[] readVerified(InputStream in, String sha256, String name) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new IOException(name + " is larger than " + MAX_BYTES + " bytes");
    }
    String actual = HexFormat.of().formatHex(sha256(bytes));
    if (!MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        sha256.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      throw new IOException(name + " has SHA-256 " + actual + ", expected " + sha256 + "; refusing to load it");
    }
    return bytes;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
