package dev.f2p.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * Proves that images stay off the disk. ImageIO's stream conveniences ({@code ImageIO.write(image, format,
 * OutputStream)}, {@code ImageIO.read(InputStream)}, {@code createImageInputStream}) cache through a
 * temporary file; {@link #unusableDuring} points that cache at a directory that no longer exists, so any code
 * that would write image bytes to a file fails there instead of passing quietly. ImageIO's cache settings are
 * global: tests that use this must not run in parallel with other ImageIO users in the same JVM.
 */
public final class ImageIoDiskCache {
  private ImageIoDiskCache() {}

  /**
   * Runs {@code action} with ImageIO's disk cache on but unusable, then restores the settings.
   *
   * @param action the code that must not cache images on disk
   * @param <T> what it returns
   * @return what it returned
   * @throws Exception what it threw: a disk-cached stream fails with an {@code IIOException} ("Can't create
   *     cache file!") or an {@code IllegalArgumentException} ("Not a directory!")
   */
  public static <T> T unusableDuring(Callable<T> action) throws Exception {
    @Nullable File previousDirectory = ImageIO.getCacheDirectory();
    boolean previousUse = ImageIO.getUseCache();
    File gone;
    try {
      gone = Files.createTempDirectory("f2p-imageio-cache-").toFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ImageIO.setUseCache(true);
    ImageIO.setCacheDirectory(gone);
    try {
      Files.delete(gone.toPath());
      return action.call();
    } finally {
      ImageIO.setCacheDirectory(previousDirectory);
      ImageIO.setUseCache(previousUse);
    }
  }
}
