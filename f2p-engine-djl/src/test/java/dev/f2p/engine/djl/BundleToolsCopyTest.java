package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleToolsCopyTest {
  @TempDir Path tmp;

  @Test
  void aGroupWritableBundleIsRefusedAndItsSafeCopyVerifies() throws Exception {
    Path loose = TestBundles.copy(TestBundles.MODELS.resolve("single-pass"), Files.createDirectory(tmp.resolve("a")));
    Files.setPosixFilePermissions(loose.resolve("model.pt"), PosixFilePermissions.fromString("rw-rw-r--"));
    BundleVerifier verifier = BundleVerifier.builder().trustedKey(TestBundles.PUBLIC_KEY).build();
    assertThatThrownBy(() -> verifier.verify(loose)).isInstanceOf(BundleVerificationException.class);

    Path copy = BundleTools.copyWithSafePermissions(loose, tmp.resolve("installed"));

    assertThat(Files.getPosixFilePermissions(copy.resolve("model.pt")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(verifier.verify(copy)).isNotNull();
  }

  @Test
  void aLinkLeavingTheBundleOrAnExistingTargetIsRefused() throws Exception {
    Path bundle = Files.createDirectory(tmp.resolve("b"));
    Files.writeString(tmp.resolve("secret.txt"), "outside");
    Files.createSymbolicLink(bundle.resolve("model.pt"), tmp.resolve("secret.txt"));

    assertThatThrownBy(() -> BundleTools.copyWithSafePermissions(bundle, tmp.resolve("c")))
        .isInstanceOf(IOException.class).hasMessageContaining("links outside the bundle");
    assertThatThrownBy(() -> BundleTools.copyWithSafePermissions(bundle, tmp.resolve("secret.txt")))
        .isInstanceOf(FileAlreadyExistsException.class);
  }
}
