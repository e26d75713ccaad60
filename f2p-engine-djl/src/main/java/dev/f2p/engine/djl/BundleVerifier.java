package dev.f2p.engine.djl;

import dev.f2p.core.internal.BuilderOptions;
import dev.f2p.engine.djl.internal.BundleCheck;
import dev.f2p.engine.djl.internal.ComponentReader;
import dev.f2p.engine.djl.internal.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a model bundle directory before anything in it is loaded: the manifest, every listed file's
 * size and SHA-256, no unlisted file, no symbolic link or path leaving the directory, no group- or
 * world-writable entry (POSIX), and the OpenSSF Model Signing v1.0 signature ({@code model.sig},
 * {@code key} method, ECDSA P-256/P-384/P-521) against the trusted keys. Optionally checks that every
 * encrypted component decrypts. Immutable and thread-safe; {@link #verify} may run concurrently.
 */
public final class BundleVerifier {
  private final List<PublicKey> trustedKeys;
  private static final Logger LOG = LoggerFactory.getLogger(BundleVerifier.class);

  private final boolean requireSignature;
  private final boolean uncheckedAllowed;
  private final Optional<KeyProvider> keyProvider;

  private BundleVerifier(Builder b) {
    this.trustedKeys = List.copyOf(b.trustedKeys);
    this.requireSignature = b.requireSignature != null ? b.requireSignature : !trustedKeys.isEmpty();
    this.uncheckedAllowed = Boolean.FALSE.equals(b.requireSignature);
    this.keyProvider = Optional.ofNullable(b.keyProvider);
  }

  /**
   * A builder. With no option set, the verifier checks hashes and layout, accepts an unsigned bundle (with
   * a WARN) and refuses a signed one, having no key to check its signature.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether unsigned bundles are refused.
   *
   * @return the explicit {@link Builder#requireSignature} setting, else whether a trusted key is configured
   */
  public boolean requiresSignature() {
    return requireSignature;
  }

  /**
   * Verifies the bundle in {@code directory}: hashes every file, and with a key provider decrypts every
   * encrypted component once (then discards the plaintext). Loads nothing.
   *
   * @param directory the bundle directory, holding {@code bundle.json}
   * @return what was established, for logs and audit (the signer's fingerprint, every file's hash)
   * @throws BundleVerificationException naming the problem and the file when the bundle is refused
   * @throws IOException when the directory cannot be read
   */
  public VerifiedBundle verify(Path directory) throws BundleVerificationException, IOException {
    BundleCheck.Result r = check(directory);
    warnIfUnchecked(r);
    if (keyProvider.isPresent()) {
      ComponentReader reader = new ComponentReader(r.root(), r.manifest(), keyProvider);
      for (String name : r.manifest().components().keySet()) {
        if (r.manifest().component(name).encrypted()) {
          reader.read(name);
        }
      }
    }
    return new VerifiedBundle(r.manifest().name(), r.manifest().version(), r.manifest().kind().id(), r.hashes(),
        r.signer());
  }

  BundleCheck.Result check(Path directory) throws BundleVerificationException, IOException {
    return BundleCheck.verify(directory, trustedKeys, requireSignature, uncheckedAllowed);
  }

  /** Says at WARN, once per load, that a bundle was accepted without a verified signature. */
  static void warnIfUnchecked(BundleCheck.Result r) {
    if (r.signer().isEmpty()) {
      LOG.warn("model bundle {}: signature NOT checked (no trusted key, or requireSignature(false)); "
          + "anyone who can write the bundle can change the model", r.root());
    }
  }

  Optional<KeyProvider> keyProvider() {
    return keyProvider;
  }

  /** Builds a {@link BundleVerifier}. Not thread-safe. */
  public static final class Builder {
    private final List<PublicKey> trustedKeys = new ArrayList<>();
    private @Nullable Boolean requireSignature;
    private @Nullable KeyProvider keyProvider;

    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * Trusts signatures by this ECDSA public key; may be called again to trust several (key rotation). A
     * trusted key makes signatures required unless {@link #requireSignature} says otherwise.
     *
     * @param key an EC public key on P-256, P-384 or P-521
     * @return this builder
     */
    public Builder trustedKey(PublicKey key) {
      trustedKeys.add(Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * Trusts signatures by the ECDSA public key in this PEM file ({@code BEGIN PUBLIC KEY}).
     *
     * @param pemFile the PEM file; read now
     * @return this builder
     * @throws IOException when the file cannot be read, is too large, or holds no EC public key
     */
    public Builder trustedKey(Path pemFile) throws IOException {
      return trustedKey(Pem.readPublicKey(pemFile));
    }

    /**
     * Whether unsigned bundles are refused. Default: {@code true} when a trusted key is configured,
     * {@code false} otherwise. A bundle that carries a signature is always verified or refused, unless
     * this is set to {@code false} explicitly: then, with no trusted key, it loads with its signature not
     * checked (logged at WARN).
     *
     * @param require true to refuse unsigned bundles (then a trusted key is needed); false to accept them
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder requireSignature(boolean require) {
      options.once("requireSignature");
      requireSignature = require;
      return this;
    }

    /**
     * Where the key for encrypted components comes from; without one, encrypted components are not
     * checked by {@link BundleVerifier#verify} (their hashes still are).
     *
     * @param provider the key provider
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder keyProvider(KeyProvider provider) {
      keyProvider = options.once("keyProvider", provider);
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return an immutable, thread-safe verifier
     * @throws IllegalStateException when {@code requireSignature(true)} was set without a trusted key
     */
    public BundleVerifier build() {
      if (Boolean.TRUE.equals(requireSignature) && trustedKeys.isEmpty()) {
        throw new IllegalStateException("requireSignature(true) needs at least one trustedKey");
      }
      return new BundleVerifier(this);
    }
  }
}
