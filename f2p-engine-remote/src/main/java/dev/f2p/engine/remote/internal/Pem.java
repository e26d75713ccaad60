package dev.f2p.engine.remote.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * TLS material from PEM files: the pinned CA (the only one trusted; the JDK's store is not consulted), and
 * for mTLS the client certificate chain with its PKCS#8 key. Secret files must not be readable by group or
 * others.
 */
public final class Pem {
  private static final Pattern KEY = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final long MAX_FILE = 1 << 20;

  private Pem() {}

  /** Trust managers that trust only the certificates in {@code caFile}. */
  public static TrustManager[] trustOnly(Path caFile) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> cas = certificates(caFile);
    if (cas.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + caFile);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (Certificate c : cas) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return f.getTrustManagers();
  }

  /** Key managers presenting the certificate chain in {@code certFile} with the PKCS#8 key in {@code keyFile}. */
  public static KeyManager[] clientKey(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
    requirePrivate(keyFile);
    List<Certificate> chain = new ArrayList<>(certificates(certFile));
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + certFile);
    }
    Matcher m = KEY.matcher(read(keyFile));
    if (!m.find()) {
      throw new GeneralSecurityException(keyFile + " holds no PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    PrivateKey key = null;
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        break;
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    if (key == null) {
      throw new GeneralSecurityException(keyFile + " holds a key of an unsupported type");
    }
    char[] password = new char[0];
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(store, password);
    return f.getKeyManagers();
  }

  /** A TLS 1.2+ context from those managers. */
  public static SSLContext context(TrustManager @Nullable [] trust, KeyManager @Nullable [] keys) throws GeneralSecurityException {
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(keys, trust, new SecureRandom());
    return c;
  }

  /** A secret read from a file that only its owner may read, trimmed; its content never appears in a message. */
  public static String secret(Path file) throws IOException {
    requirePrivate(file);
    String s = read(file).trim();
    if (s.isEmpty()) {
      throw new IOException(file + " is empty");
    }
    return s;
  }

  /** A secret from an environment variable; its content never appears in a message. */
  public static Optional<String> environment(String variable) {
    String v = System.getenv(variable);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    byte[] bytes = read(file).getBytes(StandardCharsets.US_ASCII);
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
  }

  private static String read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE) {
      throw new IOException(file + " is larger than " + MAX_FILE + " bytes");
    }
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  private static void requirePrivate(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
          || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new IOException(file + " is accessible by group or others; chmod 600");
      }
    }
  }
}
