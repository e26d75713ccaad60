package dev.f2p.engine.djl.internal;

import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import dev.f2p.engine.djl.KeyProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * Reads a verified component into memory, checks its hash again on the very bytes that will be loaded
 * (so a file swapped after verification is not loaded), and decrypts it when it is encrypted. The clear
 * bytes exist only in memory.
 */
public final class ComponentReader {
  private final Path root;
  private final Manifest manifest;
  private final Optional<KeyProvider> keys;
  private @Nullable SecretKey key;

  public ComponentReader(Path root, Manifest manifest, Optional<KeyProvider> keys) {
    this.root = root;
    this.manifest = manifest;
    this.keys = keys;
  }

  public byte[] read(String componentName) throws IOException, BundleVerificationException {
    Manifest.Component c = manifest.component(componentName);
    byte[] stored = Json.readBounded(root.resolve(c.file()), c.size(), Problem.FILE_MISSING, c.file());
    String hash = Hashing.sha256Hex(stored);
    if (stored.length != c.size() || !hash.equals(c.sha256())) {
      throw new BundleVerificationException(Problem.HASH_MISMATCH, c.file(),
          "changed after verification (sha256 " + hash + ")");
    }
    if (!c.encrypted()) {
      return stored;
    }
    return ComponentCipher.decrypt(stored, key(c.file()), manifest.name(), c.file());
  }

  private SecretKey key(String path) throws BundleVerificationException {
    if (key == null) {
      KeyProvider provider = keys.orElseThrow(() -> new BundleVerificationException(Problem.KEY_UNAVAILABLE, path,
          "is encrypted and no key provider is configured"));
      try {
        key = provider.bundleKey(manifest.name());
      } catch (IOException | RuntimeException e) {
        throw new BundleVerificationException(Problem.KEY_UNAVAILABLE, path, "no key: " + e.getMessage(), e);
      }
    }
    return key;
  }
}
