package dev.f2p.engine.djl;

import java.util.Map;
import java.util.Optional;

/**
 * What a {@link BundleVerifier} established about a bundle. Immutable.
 *
 * @param name the manifest's name
 * @param version the manifest's version
 * @param kind the pipeline kind, {@code single-pass} or {@code flow-matching}
 * @param files hex SHA-256 of every file verified, by bundle-relative path
 * @param signerFingerprint hex SHA-256 of the trusted public key (SubjectPublicKeyInfo) that signed the
 *     bundle; empty when it was accepted unsigned
 */
public record VerifiedBundle(
    String name, String version, String kind, Map<String, String> files, Optional<String> signerFingerprint) {
  /**
   * Copies the file map.
   *
   * @param name the manifest's name
   * @param version the manifest's version
   * @param kind the pipeline kind
   * @param files hex SHA-256 by bundle-relative path; copied
   * @param signerFingerprint hex SHA-256 of the signing key; empty when accepted unsigned
   */
  public VerifiedBundle {
    files = Map.copyOf(files);
  }
}
