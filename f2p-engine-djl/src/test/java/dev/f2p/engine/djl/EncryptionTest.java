package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionTest {
  @TempDir Path tmp;
  Path bundle;
  SecretKey key;
  byte[] clear;

  @BeforeEach
  void encryptTheDenoiserAndSignAgain() throws Exception {
    bundle = TestBundles.copy(TestBundles.FLOW_MATCHING, Files.createDirectory(tmp.resolve("b")));
    clear = Files.readAllBytes(bundle.resolve("denoiser.pt"));
    key = randomKey();
    BundleTools.encrypt(bundle, "denoiser", key);
    BundleTools.sign(bundle, TestBundles.PRIVATE_KEY, TestBundles.PUBLIC_KEY);
  }

  @Test
  void anEncryptedComponentLoadsFromMemoryAndGivesTheSameOutput() throws Exception {
    assertThat(bundle.resolve("denoiser.pt")).doesNotExist();
    byte[] sealed = Files.readAllBytes(bundle.resolve("denoiser.pt.enc"));
    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
        .startsWith("F2PENC").doesNotContain("denoiser");
    int[] plain;
    try (DjlImageEditEngine e = DjlImageEditEngine.builder().bundle(TestBundles.FLOW_MATCHING)
        .trustedKey(TestBundles.PUBLIC_KEY).integrityCheckEvery(Duration.ZERO).predictorsPerDevice(1).build()) {
      plain = TestBundles.pixels(e.edit(TestBundles.request("red hat", 64, 3, 5)).pixels());
    }
    try (DjlImageEditEngine e = DjlImageEditEngine.builder().bundle(bundle).trustedKey(TestBundles.PUBLIC_KEY)
        .keyProvider(KeyProvider.of(key)).integrityCheckEvery(Duration.ZERO).predictorsPerDevice(1).build()) {
      assertThat(TestBundles.pixels(e.edit(TestBundles.request("red hat", 64, 3, 5)).pixels())).isEqualTo(plain);
    }
  }

  @Test
  void aWrongKeyIsRefusedPrecisely() {
    assertThatThrownBy(() -> DjlImageEditEngine.builder().bundle(bundle).trustedKey(TestBundles.PUBLIC_KEY)
        .keyProvider(KeyProvider.of(randomKey())).build())
        .isInstanceOfSatisfying(BundleVerificationException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.DECRYPTION_FAILED);
          assertThat(e.path()).contains("denoiser.pt.enc");
        });
  }

  @Test
  void noKeyIsRefusedPrecisely() {
    assertThatThrownBy(() -> DjlImageEditEngine.builder().bundle(bundle).trustedKey(TestBundles.PUBLIC_KEY).build())
        .isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.KEY_UNAVAILABLE));
  }

  @Test
  void aComponentMovedToAnotherNameDoesNotDecrypt() throws Exception {
    byte[] sealed = Files.readAllBytes(bundle.resolve("denoiser.pt.enc"));
    assertThatThrownBy(() -> dev.f2p.engine.djl.internal.ComponentCipher.decrypt(sealed, key, "tiny-flow-edit",
        "vae_decoder.pt.enc")).isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.DECRYPTION_FAILED));
    assertThat(dev.f2p.engine.djl.internal.ComponentCipher.decrypt(sealed, key, "tiny-flow-edit",
        "denoiser.pt.enc")).isEqualTo(clear);
  }

  @Test
  void keyFileAndEnvironmentProvidersReadBase64AndRefuseLooseFiles() throws Exception {
    Path file = tmp.resolve("bundle.key");
    Files.writeString(file, Base64.getEncoder().encodeToString(key.getEncoded()) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(KeyProvider.fromFile(file).bundleKey("x").getEncoded()).isEqualTo(key.getEncoded());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> KeyProvider.fromFile(file).bundleKey("x")).hasMessageContaining("chmod 600");
    assertThatThrownBy(() -> KeyProvider.fromEnvironment("F2P_NO_SUCH_VARIABLE_42").bundleKey("x"))
        .hasMessageContaining("F2P_NO_SUCH_VARIABLE_42");
    assertThatThrownBy(() -> KeyProvider.decode("c2hvcnQ=", "test")).hasMessageContaining("32");
  }

  static SecretKey randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new SecretKeySpec(k, "AES");
  }
}
