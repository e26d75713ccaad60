package dev.f2p.engine.djl.internal;

import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.nio.file.Path;

/** Bundle-relative paths: canonical form, and refusal of anything that could leave the bundle. */
final class BundlePaths {
  private BundlePaths() {}

  /**
   * Checks a path written in a manifest or signature: relative, {@code /}-separated, normalised, no
   * {@code ..}, no empty or {@code .} component, no backslash or NUL.
   */
  static String checkRelative(String path, Problem problem) throws BundleVerificationException {
    if (path.isEmpty() || path.length() > 1024) {
      throw new BundleVerificationException(problem, path, "empty or longer than 1024 characters");
    }
    if (path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0 || path.matches("^[A-Za-z]:.*")) {
      throw new BundleVerificationException(Problem.PATH_ESCAPE, path, "is absolute or not a '/'-separated path");
    }
    for (String part : path.split("/", -1)) {
      if (part.equals("..")) {
        throw new BundleVerificationException(Problem.PATH_ESCAPE, path, "leaves the bundle directory");
      }
      if (part.isEmpty() || part.equals(".")) {
        throw new BundleVerificationException(problem, path, "is not in canonical form");
      }
    }
    return path;
  }

  /** The canonical name of a file found under {@code root}. */
  static String relative(Path root, Path file) {
    StringBuilder s = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (s.length() > 0) {
        s.append('/');
      }
      s.append(part);
    }
    return s.toString();
  }
}
