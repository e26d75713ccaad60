package dev.f2p.examples.demo;

import dev.f2p.engine.djl.BundleTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a bundle into a fresh private temporary folder: a clone made under umask 002 is group-writable,
 * which the verifier refuses, and the demo tampers with its copies without touching the repository.
 */
final class SafeCopy {
  private SafeCopy() {}

  static Path of(Path bundle) throws IOException {
    // createTempDirectory makes an owner-only folder on POSIX.
    Path parent = Files.createTempDirectory("f2p-demo-bundle");
    return BundleTools.copyWithSafePermissions(bundle, parent.resolve("bundle"));
  }
}
