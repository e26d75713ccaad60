package dev.f2p.engine.djl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Supplies the AES-256 key that decrypts a bundle's encrypted components. Implement it to fetch keys from
 * a KMS or vault; the built-ins read an environment variable or a file holding the 32-byte key as base64
 * or hex. Implementations must be thread-safe and must never log the key.
 */
@FunctionalInterface
public interface KeyProvider {
  /**
   * The key for the bundle named {@code bundleName}. Called when a bundle's encrypted components are
   * verified or loaded, never per request, so a provider may fetch the key remotely.
   *
   * @param bundleName the name in the bundle's manifest, so one provider can serve several bundles
   * @return the bundle's AES-256 key (32 bytes)
   * @throws IOException when no key is available; the message must not contain key material. The bundle
   *     is then refused ({@link BundleVerificationException.Problem#KEY_UNAVAILABLE})
   */
  SecretKey bundleKey(String bundleName) throws IOException;

  /**
   * Reads the key from environment variable {@code variable} (base64 or hex of 32 bytes), for every
   * bundle. The variable is read at each call, not when the provider is made.
   *
   * @param variable the variable's name
   * @return a provider that fails with an {@link IOException} naming the variable (never its value)
   *     when it is unset, blank or not a 32-byte key
   */
  static KeyProvider fromEnvironment(String variable) {
    Objects.requireNonNull(variable, "variable");
    return bundleName -> {
      String value = System.getenv(variable);
      if (value == null || value.isBlank()) {
        throw new IOException("environment variable " + variable + " holds no bundle key");
      }
      return decode(value, "environment variable " + variable);
    };
  }

  /**
   * Reads the key from {@code file} (base64 or hex of 32 bytes). On POSIX the file must not be readable
   * or writable by group or others. The file is read at each call, so a rotated key is picked up on the
   * next load.
   *
   * @param file the key file, at most 4096 bytes
   * @return a provider that fails with an {@link IOException} naming the file (never its content) when it
   *     cannot be read, is too large, is accessible by group or others, or holds no 32-byte key
   */
  static KeyProvider fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    return bundleName -> {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
            || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
          throw new IOException("key file " + file + " is accessible by group or others; chmod 600");
        }
      }
      if (Files.size(file) > 4096) {
        throw new IOException("key file " + file + " is too large to hold one key");
      }
      return decode(Files.readString(file, StandardCharsets.US_ASCII), "key file " + file);
    };
  }

  /**
   * A fixed key, for tests and for hosts that obtained the key themselves.
   *
   * @param key the AES-256 key, returned for every bundle
   * @return a provider that never fails
   */
  static KeyProvider of(SecretKey key) {
    Objects.requireNonNull(key, "key");
    return bundleName -> key;
  }

  /**
   * Decodes 32 key bytes written as base64 or hex, for providers that read a key as text.
   *
   * @param text 64 hex digits or the base64 of 32 bytes; surrounding white space is ignored
   * @param source names where the text came from, for the message
   * @return an AES key
   * @throws IOException naming the source, never the value, when the text is neither form or not
   *     32 bytes
   */
  static SecretKey decode(String text, String source) throws IOException {
    String v = text.trim();
    byte[] bytes;
    try {
      bytes = v.length() == 64 && v.matches("[0-9a-fA-F]+") ? HexFormat.of().parseHex(v) : Base64.getDecoder().decode(v);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + " is neither base64 nor hex");
    }
    if (bytes.length != 32) {
      throw new IOException(source + " holds " + bytes.length + " bytes; an AES-256 key has 32");
    }
    return new SecretKeySpec(bytes, "AES");
  }
}
