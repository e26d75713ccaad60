package dev.f2p.examples.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.engine.djl.BundleTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCommandTest {
  static final Path MODELS = Path.of("").toAbsolutePath().getParent().resolve("models");
  static final String PRIVATE = MODELS.resolve("keys/test-signing-key.pem").toString();
  static final String PUBLIC = MODELS.resolve("keys/test-signing-key.pub.pem").toString();

  @TempDir Path tmp;
  Path bundle;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void copyTheFixtureBundle() throws IOException {
    bundle = BundleTools.copyWithSafePermissions(MODELS.resolve("flow-matching"), tmp.resolve("bundle"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
  }

  int run(String... args) {
    return BundleCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpAndUsageErrors() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("manifest DIR", "sign DIR", "encrypt DIR", "verify DIR");
    assertThat(run()).isEqualTo(2);
    assertThat(run("frobnicate", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'frobnicate'");
    assertThat(run("sign", bundle.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("missing --key");
    assertThat(run("verify", bundle.toString(), "--bogus", "1")).isEqualTo(2);
  }

  @Test
  void signThenVerifyWithTheTrustedKey() {
    assertThat(run("sign", bundle.toString(), "--key", PRIVATE)).isZero();
    assertThat(run("verify", bundle.toString(), "--trusted-key", PUBLIC)).isZero();
    assertThat(out.toString()).contains("OK tiny-flow-edit:1.0.0 (flow-matching)", "signed by key");
  }

  @Test
  void verifyPrintsWhatIsWrong() throws IOException {
    Files.writeString(bundle.resolve("notes.txt"), "planted");
    assertThat(run("verify", bundle.toString(), "--trusted-key", PUBLIC)).isEqualTo(1);
    assertThat(err.toString()).contains("REFUSED", "notes.txt");
  }

  @Test
  void manifestRefreshesHashesAfterAChange() throws IOException {
    byte[] tokenizer = Files.readAllBytes(bundle.resolve("tokenizer.json"));
    Files.write(bundle.resolve("tokenizer.json"), (new String(tokenizer, StandardCharsets.UTF_8) + " ").getBytes());
    Files.delete(bundle.resolve("model.sig"));
    assertThat(run("verify", bundle.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("SIZE_MISMATCH tokenizer.json");
    assertThat(run("manifest", bundle.toString())).isZero();
    assertThat(run("verify", bundle.toString())).isZero();
  }

  @Test
  void encryptSignAndVerifyWithTheKeyFile() throws IOException {
    Path key = tmp.resolve("bundle.key");
    Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThat(run("encrypt", bundle.toString(), "--component", "vae_decoder", "--key-file", key.toString())).isZero();
    assertThat(run("sign", bundle.toString(), "--key", PRIVATE)).isZero();
    assertThat(run("verify", bundle.toString(), "--trusted-key", PUBLIC, "--key-file", key.toString())).isZero();
    Path wrong = tmp.resolve("wrong.key");
    Files.writeString(wrong, Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
        14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    assertThat(run("verify", bundle.toString(), "--trusted-key", PUBLIC, "--key-file", wrong.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("DECRYPTION_FAILED vae_decoder.pt.enc");
  }

  @Test
  void manifestWritesASkeletonForANewDirectory() throws IOException {
    Path fresh = tmp.resolve("fresh");
    Files.createDirectory(fresh);
    Files.write(fresh.resolve("model.pt"), new byte[] {1, 2, 3});
    assertThat(run("manifest", fresh.toString(), "--name", "mine", "--kind", "single-pass")).isZero();
    String manifest = Files.readString(fresh.resolve("bundle.json"));
    assertThat(manifest).contains("\"name\": \"mine\"", "\"model\"", "\"size\": 3");
  }
}
