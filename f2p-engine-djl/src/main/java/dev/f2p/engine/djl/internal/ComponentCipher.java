package dev.f2p.engine.djl.internal;

import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for components at rest: {@code "F2PENC" | version 1 | 96-bit random nonce | ciphertext+tag}.
 * The AAD binds the header, the bundle name and the component path, so a file moved to another name or
 * bundle does not decrypt.
 */
public final class ComponentCipher {
  static final byte[] MAGIC = "F2PENC".getBytes(StandardCharsets.US_ASCII);
  static final byte VERSION = 1;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  public static final int HEADER_BYTES = MAGIC.length + 1 + NONCE_BYTES;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ComponentCipher() {}

  public static byte[] encrypt(byte[] plain, SecretKey key, String bundleName, String path)
      throws GeneralSecurityException {
    checkKey(key);
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD(aad(bundleName, path));
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + c.getOutputSize(plain.length));
    out.put(MAGIC).put(VERSION).put(nonce);
    out.put(c.doFinal(plain));
    return out.array();
  }

  public static boolean isEncrypted(byte[] data) {
    return data.length >= HEADER_BYTES && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  public static byte[] decrypt(byte[] data, SecretKey key, String bundleName, String path)
      throws BundleVerificationException {
    if (!isEncrypted(data)) {
      throw new BundleVerificationException(Problem.DECRYPTION_FAILED, path, "has no F2PENC header");
    }
    if (data[MAGIC.length] != VERSION) {
      throw new BundleVerificationException(Problem.DECRYPTION_FAILED, path,
          "unknown encryption version " + data[MAGIC.length]);
    }
    try {
      checkKey(key);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, MAGIC.length + 1, NONCE_BYTES));
      c.updateAAD(aad(bundleName, path));
      return c.doFinal(data, HEADER_BYTES, data.length - HEADER_BYTES);
    } catch (AEADBadTagException e) {
      throw new BundleVerificationException(Problem.DECRYPTION_FAILED, path,
          "authentication tag mismatch: wrong key, wrong bundle or path, or altered bytes");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new BundleVerificationException(Problem.DECRYPTION_FAILED, path, "cannot decrypt: " + e.getMessage(), e);
    }
  }

  private static void checkKey(SecretKey key) throws GeneralSecurityException {
    byte[] encoded = key.getEncoded();
    if (!"AES".equals(key.getAlgorithm()) || encoded == null || encoded.length != 32) {
      throw new GeneralSecurityException("an AES-256 key (32 bytes) is required");
    }
  }

  private static byte[] aad(String bundleName, String path) {
    byte[] name = bundleName.getBytes(StandardCharsets.UTF_8);
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(MAGIC.length + 1 + name.length + 1 + p.length)
        .put(MAGIC).put(VERSION).put(name).put((byte) 0).put(p).array();
  }
}
