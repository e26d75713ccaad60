package dev.f2p.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Copies a bundle into a fresh private folder. The verifier refuses group- or world-writable model files
 * (anyone in the group could swap the model), and a clone made under umask 002 is group-writable; the
 * copy has owner-only permissions, and the demo can tamper with it without touching the repository.
 */
final class SafeCopy {
  private SafeCopy() {}

  static Path of(Path bundle) throws IOException {
    Path target = Files.createTempDirectory("f2p-demo-bundle");
    target.toFile().deleteOnExit();
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
    try (Stream<Path> files = Files.list(bundle)) {
      files.filter(Files::isRegularFile).forEach(file -> {
        try {
          Path copy = Files.copy(file, target.resolve(file.getFileName().toString()));
          Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
          copy.toFile().deleteOnExit();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return target;
  }
}
