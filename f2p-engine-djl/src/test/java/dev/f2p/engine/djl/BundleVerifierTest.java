package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BundleVerifierTest {
  @TempDir Path tmp;

  /** How an attacker (or an accident) changes a signed bundle, and what the verifier must say. */
  interface Tamper {
    void apply(Path bundle) throws Exception;
  }

  static Stream<Arguments> tampering() {
    return Stream.of(
        Arguments.of("flipped byte", (Tamper) b -> flip(b.resolve("model.pt")), Problem.HASH_MISMATCH, "model.pt"),
        Arguments.of("truncated file", (Tamper) b -> Files.write(b.resolve("model.pt"), new byte[10]),
            Problem.SIZE_MISMATCH, "model.pt"),
        Arguments.of("missing file", (Tamper) b -> Files.delete(b.resolve("model.pt")), Problem.FILE_MISSING,
            "model.pt"),
        Arguments.of("extra file", (Tamper) b -> Files.writeString(b.resolve("payload.py"), "import os"),
            Problem.EXTRA_FILE, "payload.py"),
        Arguments.of("extra file in a subdirectory", (Tamper) b -> {
          Files.createDirectories(b.resolve("sub"));
          Files.writeString(b.resolve("sub/x.bin"), "x");
        }, Problem.EXTRA_FILE, "sub/x.bin"),
        Arguments.of("symlink leaving the bundle", (Tamper) b -> {
          Files.delete(b.resolve("model.pt"));
          Files.createSymbolicLink(b.resolve("model.pt"), Path.of("/etc/passwd"));
        }, Problem.PATH_ESCAPE, "model.pt"),
        Arguments.of("symlink inside the bundle", (Tamper) b -> Files.createSymbolicLink(b.resolve("alias.pt"),
            Path.of("model.pt")), Problem.SYMLINK, "alias.pt"),
        Arguments.of("group-writable file", (Tamper) b -> Files.setPosixFilePermissions(b.resolve("model.pt"),
            PosixFilePermissions.fromString("rw-rw-r--")), Problem.INSECURE_PERMISSIONS, "model.pt"),
        Arguments.of("world-writable directory", (Tamper) b -> Files.setPosixFilePermissions(b,
            PosixFilePermissions.fromString("rwxr-xrwx")), Problem.INSECURE_PERMISSIONS, "."),
        Arguments.of("manifest path escaping", (Tamper) b -> replaceInManifest(b, "\"model.pt\"", "\"../model.pt\""),
            Problem.PATH_ESCAPE, "../model.pt"),
        Arguments.of("manifest absolute path", (Tamper) b -> replaceInManifest(b, "\"model.pt\"", "\"/tmp/model.pt\""),
            Problem.PATH_ESCAPE, "/tmp/model.pt"),
        Arguments.of("manifest missing", (Tamper) b -> Files.delete(b.resolve("bundle.json")),
            Problem.MANIFEST_MISSING, "bundle.json"),
        Arguments.of("manifest not JSON", (Tamper) b -> Files.writeString(b.resolve("bundle.json"), "{nope"),
            Problem.MANIFEST_INVALID, "bundle.json"),
        Arguments.of("manifest re-hashed after a change", (Tamper) b -> {
          flip(b.resolve("model.pt"));
          BundleTools.writeManifest(b, "", "", "");
        }, Problem.SIGNED_FILE_CHANGED, "bundle.json"),
        Arguments.of("signature removed", (Tamper) b -> Files.delete(b.resolve("model.sig")),
            Problem.SIGNATURE_MISSING, "model.sig"),
        Arguments.of("signature bytes altered", (Tamper) b -> replaceInFile(b.resolve("model.sig"), "\"sig\": \"M",
            "\"sig\": \"N"), Problem.SIGNATURE_INVALID, "model.sig"),
        Arguments.of("signature not JSON", (Tamper) b -> Files.writeString(b.resolve("model.sig"), ""),
            Problem.SIGNATURE_MALFORMED, "model.sig"),
        Arguments.of("signed by an untrusted key", (Tamper) b -> signWithNewKey(b), Problem.SIGNATURE_INVALID,
            "model.sig"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tampering")
  void refusesATamperedBundleWithAPreciseProblem(String name, Tamper tamper, Problem problem, String path)
      throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    tamper.apply(bundle);
    BundleVerifier verifier = BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build();
    assertThatThrownBy(() -> verifier.verify(bundle))
        .isInstanceOfSatisfying(BundleVerificationException.class, e -> {
          assertThat(e.problem()).isEqualTo(problem);
          assertThat(e.path()).contains(path);
        });
  }

  @Test
  void acceptsTheCommittedSignedBundlesAndNamesTheSigner() throws Exception {
    BundleVerifier verifier = BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build();
    for (Path bundle : new Path[] {TestBundles.SINGLE_PASS, TestBundles.FLOW_MATCHING}) {
      VerifiedBundle v = verifier.verify(TestBundles.copy(bundle, Files.createTempDirectory(tmp, "b")));
      assertThat(v.signerFingerprint()).hasValueSatisfying(f -> assertThat(f).hasSize(64));
      assertThat(v.files()).containsKey("bundle.json");
    }
  }

  @Test
  void aBundleSignedByOurSignerVerifies() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.FLOW_MATCHING, tmp);
    Files.delete(bundle.resolve("model.sig"));
    BundleTools.sign(bundle, TestBundles.PRIVATE_KEY, TestBundles.PUBLIC_KEY);
    VerifiedBundle v = BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build().verify(bundle);
    assertThat(v.kind()).isEqualTo("flow-matching");
  }

  @Test
  void aBundleSignedIndependentlyInPythonVerifies() throws Exception {
    // Signed by src/test/python/sign_like_reference.py (python3-cryptography), not by our signer.
    Path bundle = TestBundles.copy(Path.of("src/test/resources/python-signed").toAbsolutePath(), tmp);
    VerifiedBundle v = BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build().verify(bundle);
    assertThat(v.signerFingerprint()).isPresent();
    flip(bundle.resolve("model.pt"));
    assertThatThrownBy(() -> BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build().verify(bundle))
        .isInstanceOf(BundleVerificationException.class);
  }

  @Test
  void withoutTrustedKeysAnUnsignedBundleIsAcceptedUnlessASignatureIsRequired() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    Files.delete(bundle.resolve("model.sig"));
    assertThat(BundleVerifier.builder().build().verify(bundle).signerFingerprint()).isEmpty();
    assertThatThrownBy(() -> BundleVerifier.builder().requireSignature(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("trustedKey");
  }

  @Test
  void anUnverifiedSignatureCannotHideAPlantedFile() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    Files.writeString(bundle.resolve("payload.py"), "import os");
    String sig = Files.readString(bundle.resolve("model.sig"));
    String payload = sig.replaceAll("(?s).*\"payload\": \"([^\"]+)\".*", "$1");
    String statement = new String(java.util.Base64.getDecoder().decode(payload), StandardCharsets.UTF_8)
        .replace("\"model.sig\"", "\"model.sig\",\n        \"payload.py\"");
    Files.writeString(bundle.resolve("model.sig"), sig.replace(payload,
        java.util.Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8))));
    assertThatThrownBy(() -> BundleVerifier.builder().requireSignature(false).build().verify(bundle))
        .isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.EXTRA_FILE));
    assertThatThrownBy(() -> BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build().verify(bundle))
        .isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.SIGNATURE_INVALID));
  }

  @Test
  void ignoredGitFilesDoNotCountAsExtra() throws Exception {
    Path bundle = TestBundles.copy(TestBundles.SINGLE_PASS, tmp);
    Files.createDirectories(bundle.resolve(".git"));
    Files.writeString(bundle.resolve(".git/HEAD"), "ref: x");
    assertThat(BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build().verify(bundle).name())
        .isEqualTo("prompt-tint");
  }

  static void flip(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x01;
    Files.write(file, b);
  }

  static void replaceInManifest(Path bundle, String from, String to) throws IOException {
    replaceInFile(bundle.resolve("bundle.json"), from, to);
  }

  static void replaceInFile(Path file, String from, String to) throws IOException {
    String s = Files.readString(file, StandardCharsets.UTF_8);
    if (!s.contains(from)) {
      throw new IllegalStateException(file + " has no " + from);
    }
    Files.writeString(file, s.replaceFirst(java.util.regex.Pattern.quote(from), to), StandardCharsets.UTF_8);
  }

  static void signWithNewKey(Path bundle) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    var pair = g.generateKeyPair();
    BundleTools.sign(bundle, (java.security.interfaces.ECPrivateKey) pair.getPrivate(),
        (java.security.interfaces.ECPublicKey) pair.getPublic());
  }
}
