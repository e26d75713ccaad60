package dev.f2p.engine.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * External tools the tests run (Debian's Python with FastAPI and uvicorn, Prism). Missing locally, a test is
 * skipped; missing in CI ({@code CI=true}), it fails: CI installs them in {@code .ci/run}.
 */
final class Tools {
  private Tools() {}

  static void require(String what, boolean present) {
    if (present) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(what + " is missing; .ci/run installs it");
    }
    Assumptions.abort(what + " is missing (CI installs it; skipped locally)");
  }

  static boolean pythonServerAvailable() {
    return run("/usr/bin/python3", "-c", "import fastapi, uvicorn, multipart");
  }

  /** Prism: {@code F2P_PRISM} if set, else the copy {@code .ci/run} installs under the user's cache. */
  static Optional<Path> prism() {
    String configured = System.getenv("F2P_PRISM");
    Path p = configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "f2p-prism", "node_modules", ".bin", "prism");
    return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
  }

  static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
