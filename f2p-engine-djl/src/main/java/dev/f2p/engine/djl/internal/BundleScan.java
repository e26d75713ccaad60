package dev.f2p.engine.djl.internal;

import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerificationException.Problem;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks a bundle directory without following links: every regular file with its size, refusing links,
 * special files and (on POSIX) anything group- or world-writable. Top-level names in {@code ignores} are
 * skipped with their subtrees.
 */
final class BundleScan {
  static final int MAX_FILES = 10_000;

  private BundleScan() {}

  static Map<String, Long> scan(Path root, Set<String> ignores) throws IOException, BundleVerificationException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Map<String, Long> files = new TreeMap<>();
    BundleVerificationException[] failure = new BundleVerificationException[1];
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String rel = BundlePaths.relative(root, dir);
        if (!rel.isEmpty() && ignores.contains(rel)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        return check(dir, rel, attrs);
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String rel = BundlePaths.relative(root, file);
        if (ignores.contains(rel)) {
          return FileVisitResult.CONTINUE;
        }
        FileVisitResult r = check(file, rel, attrs);
        if (r == FileVisitResult.CONTINUE) {
          if (files.size() >= MAX_FILES) {
            return fail(new BundleVerificationException(Problem.TOO_LARGE, "", "more than " + MAX_FILES + " files"));
          }
          files.put(rel, attrs.size());
        }
        return r;
      }

      private FileVisitResult check(Path p, String rel, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) {
          Path target = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
          boolean escapes = !target.toAbsolutePath().startsWith(root.toAbsolutePath().normalize());
          return fail(new BundleVerificationException(escapes ? Problem.PATH_ESCAPE : Problem.SYMLINK, rel,
              escapes ? "is a symbolic link leaving the bundle directory" : "is a symbolic link"));
        }
        if (!attrs.isRegularFile() && !attrs.isDirectory()) {
          return fail(new BundleVerificationException(Problem.NOT_REGULAR_FILE, rel, "is not a regular file"));
        }
        if (posix) {
          Set<PosixFilePermission> perms = Files.getFileAttributeView(p, PosixFileAttributeView.class,
              LinkOption.NOFOLLOW_LINKS).readAttributes().permissions();
          if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return fail(new BundleVerificationException(Problem.INSECURE_PERMISSIONS, rel.isEmpty() ? "." : rel,
                "is writable by group or others (" + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                    + "); chmod go-w"));
          }
        }
        return FileVisitResult.CONTINUE;
      }

      private FileVisitResult fail(BundleVerificationException e) {
        failure[0] = e;
        return FileVisitResult.TERMINATE;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    return files;
  }
}
