package dev.f2p.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed fingerprints that identify data in events and logs without revealing it: HMAC-SHA256 under the
 * deployment's key, {@code hmac-sha256:<64 hex>} of image bytes and {@code hmac-sha256/64:<16 hex>} of a
 * prompt. Without the key a log reader cannot confirm a guessed prompt or picture; with the same key the
 * same data always gives the same fingerprint, so requests correlate across instances and restarts.
 *
 * <p>The key comes from the host ({@link #withKey}) or from an environment variable ({@link #fromEnvironment},
 * by default {@value #DEFAULT_KEY_ENV}). Without either, a random key made once per process is used and a
 * WARN says once that fingerprints will not correlate across restarts or instances: never an unkeyed hash.
 * Immutable and thread-safe.
 */
public final class Fingerprints {
  /** The environment variable read when the host names none. */
  public static final String DEFAULT_KEY_ENV = "F2P_FINGERPRINT_KEY";
  /** The shortest key accepted, in bytes. */
  public static final int MIN_KEY_BYTES = 16;

  private static final Logger LOG = LoggerFactory.getLogger(Fingerprints.class);
  private static final String HMAC = "HmacSHA256";
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private final Mac prototype;

  private Fingerprints(byte[] key) {
    try {
      prototype = Mac.getInstance(HMAC);
      prototype.init(new SecretKeySpec(key, HMAC));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
    }
  }

  /**
   * Fingerprints under {@code key}.
   *
   * @param key at least {@value #MIN_KEY_BYTES} bytes
   * @return the fingerprints
   * @throws IllegalArgumentException when the key is shorter
   */
  public static Fingerprints withKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("fingerprint key must be at least " + MIN_KEY_BYTES + " bytes, was "
          + key.length);
    }
    return new Fingerprints(key.clone());
  }

  /**
   * Fingerprints under the key in environment variable {@code name} (its UTF-8 bytes), or when it is unset
   * and {@code required} is false, under the per-process random key (with a WARN logged once per process).
   *
   * @param name the variable's name
   * @param required whether an unset variable is an error (the host named it)
   * @param environment reads a variable ({@code System::getenv}); a test seam
   * @return the fingerprints
   * @throws IllegalArgumentException naming the variable (never its value) when it is set but shorter than
   *     {@value #MIN_KEY_BYTES} bytes, or unset while required
   */
  public static Fingerprints fromEnvironment(String name, boolean required, UnaryOperator<String> environment) {
    Optional<String> value = Optional.ofNullable(environment.apply(name)).filter(v -> !v.isEmpty());
    if (value.isPresent()) {
      byte[] key = value.get().getBytes(StandardCharsets.UTF_8);
      if (key.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException("environment variable " + name + " holds a fingerprint key shorter than "
            + MIN_KEY_BYTES + " bytes");
      }
      return new Fingerprints(key);
    }
    if (required) {
      throw new IllegalArgumentException("environment variable " + name + " (the fingerprint key) is not set");
    }
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn("no fingerprint key ({} is not set): image and prompt fingerprints in events are keyed with a random"
          + " key made for this process, so they will not correlate across restarts or instances", name);
    }
    return ProcessKey.FINGERPRINTS;
  }

  /**
   * The HMAC fingerprint of image bytes.
   *
   * @param bytes the image as received
   * @return {@code hmac-sha256:<64 hex>}
   */
  public String image(byte[] bytes) {
    return "hmac-sha256:" + HexFormat.of().formatHex(mac(bytes));
  }

  /**
   * The HMAC fingerprint of a prompt's UTF-8 bytes, truncated to 64 bits (enough to correlate requests).
   *
   * @param prompt the prompt
   * @return {@code hmac-sha256/64:<16 hex>}
   */
  public String prompt(String prompt) {
    return "hmac-sha256/64:" + HexFormat.of().formatHex(mac(prompt.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  private byte[] mac(byte[] bytes) {
    Mac mac;
    try {
      mac = (Mac) prototype.clone(); // a Mac is not thread-safe; a clone of the keyed one is cheap
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the HmacSHA256 provider cannot clone a keyed Mac", e);
    }
    return mac.doFinal(bytes);
  }

  @Override
  public String toString() {
    return "Fingerprints{HMAC-SHA256}"; // never the key
  }

  /** The per-process random key, made on first use. */
  private static final class ProcessKey {
    static final Fingerprints FINGERPRINTS;

    static {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      FINGERPRINTS = new Fingerprints(key);
    }
  }
}
