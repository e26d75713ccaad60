package dev.f2p.engine.djl;

import java.util.Objects;
import java.util.Optional;

/**
 * A model bundle failed verification (or could not be decrypted) and was not loaded: a machine-readable
 * {@link Problem}, the bundle-relative path it concerns when there is one, and a message for operators.
 * The message names files and hashes, never key material.
 */
public final class BundleVerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the bundle. */
  public enum Problem {
    /** The bundle path is not a directory. */
    NOT_A_DIRECTORY,
    /** {@code bundle.json} is absent. */
    MANIFEST_MISSING,
    /** {@code bundle.json} is not a valid manifest (syntax, a missing field, an unknown kind). */
    MANIFEST_INVALID,
    /** A listed file is absent. */
    FILE_MISSING,
    /** A listed file has another size than listed. */
    SIZE_MISMATCH,
    /** A listed file has another SHA-256 than listed. */
    HASH_MISMATCH,
    /** A file is in the bundle that neither the manifest nor the signature lists. */
    EXTRA_FILE,
    /** A path leaves the bundle directory ({@code ..}, absolute, or a link pointing outside). */
    PATH_ESCAPE,
    /** A symbolic link inside the bundle (refused: links let a file change under a verified name). */
    SYMLINK,
    /** Something other than a regular file or directory (a device, a pipe). */
    NOT_REGULAR_FILE,
    /** A file or directory is writable by group or others (POSIX). */
    INSECURE_PERMISSIONS,
    /** A file exceeds what the engine reads. */
    TOO_LARGE,
    /**
     * The bundle is signed but no trusted key is configured to check the signature, and the host did not
     * choose to load it unchecked ({@code requireSignature(false)}).
     */
    NO_TRUSTED_KEY,
    /** A signature is required but the bundle has none. */
    SIGNATURE_MISSING,
    /** The signature file is not a well-formed OMS bundle. */
    SIGNATURE_MALFORMED,
    /** The signature uses a method or option this verifier does not implement (certificates, shards). */
    SIGNATURE_UNSUPPORTED,
    /** The signature does not verify with any trusted key. */
    SIGNATURE_INVALID,
    /** The signed statement is not an OMS v1.0 statement. */
    STATEMENT_INVALID,
    /** The statement's subject digest is not the root digest of its resources. */
    ROOT_DIGEST_MISMATCH,
    /** A file the signature lists is absent. */
    SIGNED_FILE_MISSING,
    /** A file's content differs from what was signed. */
    SIGNED_FILE_CHANGED,
    /** A file is present that the signature does not list. */
    UNSIGNED_FILE,
    /** No key to decrypt an encrypted component, or a malformed key. */
    KEY_UNAVAILABLE,
    /** An encrypted component did not decrypt: wrong key, wrong bundle or path, or altered bytes. */
    DECRYPTION_FAILED,
    /** A verified component could not be loaded as a model or tokenizer. */
    COMPONENT_INVALID
  }

  /** What is wrong. */
  private final Problem problem;
  /** The bundle-relative path concerned; empty when the bundle as a whole is. */
  private final String path;

  /**
   * A refusal.
   *
   * @param problem what is wrong
   * @param path the bundle-relative path concerned, with {@code /} separators; empty when the bundle as a
   *     whole is
   * @param message for operators: names files and hashes, never key material
   */
  public BundleVerificationException(Problem problem, String path, String message) {
    super(problem + (path.isEmpty() ? "" : " " + path) + ": " + message);
    this.problem = Objects.requireNonNull(problem, "problem");
    this.path = path;
  }

  /**
   * A refusal caused by another exception (an I/O or a crypto failure).
   *
   * @param problem what is wrong
   * @param path the bundle-relative path concerned; empty when the bundle as a whole is
   * @param message for operators: names files and hashes, never key material
   * @param cause what failed; it must not carry key material either
   */
  public BundleVerificationException(Problem problem, String path, String message, Throwable cause) {
    this(problem, path, message);
    initCause(cause);
  }

  /**
   * What is wrong, for code that reacts to it (alerting on a signature problem, retrying a missing key).
   *
   * @return the problem
   */
  public Problem problem() {
    return problem;
  }

  /**
   * The file the problem concerns.
   *
   * @return the bundle-relative path, with {@code /} separators; empty when the bundle as a whole is
   */
  public Optional<String> path() {
    return path.isEmpty() ? Optional.empty() : Optional.of(path);
  }
}
