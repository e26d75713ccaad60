package dev.f2p.engine.djl.internal;

import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The whole verification of a bundle directory: layout, manifest, hashes, signature. Stateless. */
public final class BundleCheck {
  private BundleCheck() {}

  /**
   * What verification established.
   *
   * @param root the bundle directory, absolute and normalised
   * @param manifest the parsed manifest
   * @param hashes hex SHA-256 of every file checked, by bundle-relative path
   * @param signer fingerprint of the trusted key that signed the bundle; empty when unsigned
   */
  public record Result(Path root, Manifest manifest, Map<String, String> hashes, Optional<String> signer) {}

  /**
   * Verifies the bundle.
   *
   * @param dir the bundle directory
   * @param trustedKeys the keys a signature must verify with
   * @param requireSignature whether an unsigned bundle is refused
   * @param uncheckedAllowed whether the host explicitly chose to load a signed bundle without checking its
   *     signature ({@code requireSignature(false)}); otherwise a signature no trusted key can check is refused
   * @return what verification established
   * @throws IOException when the directory cannot be read
   * @throws BundleVerificationException naming the problem and the file
   */
  public static Result verify(Path dir, List<PublicKey> trustedKeys, boolean requireSignature,
      boolean uncheckedAllowed) throws IOException, BundleVerificationException {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new BundleVerificationException(Problem.NOT_A_DIRECTORY, "", root + " is not a directory (or is a link)");
    }
    Path sigFile = root.resolve(Oms.SIGNATURE_FILE);
    Oms.Parsed signature = null;
    if (Files.exists(sigFile, LinkOption.NOFOLLOW_LINKS)) {
      signature = Oms.parse(Json.readBounded(sigFile, Oms.MAX_SIGNATURE_BYTES, Problem.SIGNATURE_MISSING,
          Oms.SIGNATURE_FILE));
    } else if (requireSignature) {
      throw new BundleVerificationException(Problem.SIGNATURE_MISSING, Oms.SIGNATURE_FILE,
          "a signature is required and the bundle has none");
    }
    if (signature != null && trustedKeys.isEmpty() && !uncheckedAllowed) {
      // Fail closed: a signature is there to be checked, and a missing or misspelt key setting must not
      // quietly turn the check off.
      throw new BundleVerificationException(Problem.NO_TRUSTED_KEY, Oms.SIGNATURE_FILE,
          "the bundle is signed but no trusted key is configured to check it; add the signer's public key "
              + "(trustedKey, f2p.engine.trusted-keys) or load it unchecked with requireSignature(false) "
              + "(f2p.engine.require-signature=false)");
    }
    Optional<String> signer = Optional.empty();
    if (signature != null && !trustedKeys.isEmpty()) {
      // Check the signature before acting on anything the statement says. With no trusted key the host
      // chose unchecked operation explicitly: the statement is still checked against the files.
      signer = Optional.of(Oms.verifySignature(signature, trustedKeys));
    }
    Set<String> ignores = new HashSet<>(Oms.DEFAULT_IGNORES);
    ignores.add(Oms.SIGNATURE_FILE);
    if (signature != null && signer.isPresent()) {
      // Only a verified statement may widen what is skipped: an unverified one could hide a planted file.
      ignores.addAll(signature.ignorePaths());
    }
    Map<String, Long> found = BundleScan.scan(root, ignores);
    if (!found.containsKey(Manifest.FILE_NAME)) {
      throw new BundleVerificationException(Problem.MANIFEST_MISSING, Manifest.FILE_NAME, "is missing");
    }
    Manifest manifest = Manifest.parse(Json.readBounded(root.resolve(Manifest.FILE_NAME), Manifest.MAX_MANIFEST_BYTES,
        Problem.MANIFEST_MISSING, Manifest.FILE_NAME));
    Map<String, Manifest.Component> listed = manifest.filesByPath();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (Map.Entry<String, Manifest.Component> e : listed.entrySet()) {
      String path = e.getKey();
      Long size = found.get(path);
      if (size == null) {
        throw new BundleVerificationException(Problem.FILE_MISSING, path, "is listed in the manifest but absent");
      }
      if (size != e.getValue().size()) {
        throw new BundleVerificationException(Problem.SIZE_MISMATCH, path,
            size + " bytes, the manifest lists " + e.getValue().size());
      }
      String hash = Hashing.sha256Hex(root.resolve(path));
      if (!hash.equals(e.getValue().sha256())) {
        throw new BundleVerificationException(Problem.HASH_MISMATCH, path,
            "sha256 " + hash + ", the manifest lists " + e.getValue().sha256());
      }
      hashes.put(path, hash);
    }
    for (String path : found.keySet()) {
      if (!listed.containsKey(path) && !path.equals(Manifest.FILE_NAME)) {
        throw new BundleVerificationException(Problem.EXTRA_FILE, path, "is not listed in the manifest");
      }
    }
    hashes.put(Manifest.FILE_NAME, Hashing.sha256Hex(root.resolve(Manifest.FILE_NAME)));
    if (signature != null) {
      for (Map.Entry<String, String> r : signature.resources().entrySet()) {
        String have = hashes.get(r.getKey());
        if (have == null) {
          throw new BundleVerificationException(Problem.SIGNED_FILE_MISSING, r.getKey(), "is signed but absent");
        }
        if (!have.equals(r.getValue())) {
          throw new BundleVerificationException(Problem.SIGNED_FILE_CHANGED, r.getKey(),
              "sha256 " + have + ", signed " + r.getValue());
        }
      }
      for (String path : hashes.keySet()) {
        if (!signature.resources().containsKey(path)) {
          throw new BundleVerificationException(Problem.UNSIGNED_FILE, path, "is present but not signed");
        }
      }
    }
    return new Result(root, manifest, java.util.Collections.unmodifiableMap(hashes), signer);
  }
}
