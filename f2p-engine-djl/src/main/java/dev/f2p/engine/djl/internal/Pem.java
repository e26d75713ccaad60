package dev.f2p.engine.djl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads EC keys from PEM: {@code PUBLIC KEY} (SubjectPublicKeyInfo) and {@code PRIVATE KEY} (PKCS#8). */
public final class Pem {
  private static final int MAX_PEM_BYTES = 64 * 1024;

  private Pem() {}

  public static ECPublicKey readPublicKey(Path file) throws IOException {
    return parsePublicKey(read(file), file.toString());
  }

  public static ECPublicKey parsePublicKey(String pem, String source) throws IOException {
    byte[] der = block(pem, "PUBLIC KEY", source);
    try {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
      return (ECPublicKey) key;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(source + ": not an EC public key (P-256, P-384 or P-521 expected)", e);
    }
  }

  public static ECPrivateKey readPrivateKey(Path file) throws IOException {
    byte[] der = block(read(file), "PRIVATE KEY", file.toString());
    try {
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      return (ECPrivateKey) key;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(file + ": not an unencrypted PKCS#8 EC private key", e);
    }
  }

  public static String encodePublicKey(PublicKey key) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
  }

  private static String read(Path file) throws IOException {
    if (Files.size(file) > MAX_PEM_BYTES) {
      throw new IOException(file + ": larger than " + MAX_PEM_BYTES + " bytes, not a PEM key");
    }
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  private static byte[] block(String pem, String type, String source) throws IOException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end, b + 1);
    if (b < 0 || e < 0) {
      throw new IOException(source + ": no '" + begin + "' block");
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      throw new IOException(source + ": the " + type + " block is not base64", ex);
    }
  }
}
