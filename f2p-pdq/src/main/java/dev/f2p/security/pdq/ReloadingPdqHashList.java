package dev.f2p.security.pdq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hash-list file that can be reloaded while in use. Readers get the current immutable
 * {@link PdqHashList} through {@link #get()}; a reload parses the whole file aside and swaps it in at once,
 * so a search never sees half a list. A file that fails to load leaves the previous list in force (the
 * failure is reported, never swallowed into an empty list): fail closed.
 *
 * <p>Reload by calling {@link #reload()} (for example from an admin endpoint), {@link #reloadIfChanged()},
 * or by opening with a poll interval: one daemon thread then checks the file's size and modification time
 * at that interval and reloads when they change; {@link #close()} stops it. Thread-safe.
 */
public final class ReloadingPdqHashList implements Supplier<PdqHashList>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingPdqHashList.class);

  private final Path file;
  private final int maxEntries;
  private final @Nullable ScheduledExecutorService poller;
  private volatile PdqHashList current;
  // Guarded by this: what the loaded file looked like, to tell a change.
  private @Nullable Stamp loadedStamp;

  private record Stamp(long size, long modifiedMillis, Object fileKey) {}

  private ReloadingPdqHashList(Path file, int maxEntries, @Nullable Duration pollInterval)
      throws PdqHashListException {
    this.file = file;
    this.maxEntries = maxEntries;
    this.current = PdqHashList.empty();
    reload();
    if (pollInterval == null) {
      this.poller = null;
    } else {
      this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "f2p-pdq-list-reload");
        t.setDaemon(true);
        return t;
      });
      long millis = pollInterval.toMillis();
      poller.scheduleWithFixedDelay(this::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Loads {@code file} now; fails if it cannot. No polling: reload by calling {@link #reload()}.
   *
   * @param file the list file, in {@link PdqHashList}'s format
   * @param maxEntries the most entries a load accepts, at least 1; a file that grows past it fails to
   *     reload and the previous list stays
   * @return the open list
   * @throws PdqHashListException when the file cannot be loaded; nothing is left open
   * @throws IllegalArgumentException when {@code maxEntries} is below 1
   */
  public static ReloadingPdqHashList open(Path file, int maxEntries) throws PdqHashListException {
    return new ReloadingPdqHashList(checkedFile(file), checkedMax(maxEntries), null);
  }

  /**
   * Loads {@code file} now, failing if it cannot, then checks it for changes every {@code pollInterval}
   * (at least one second) on a daemon thread until closed. A failed poll is logged and keeps the previous
   * list.
   *
   * @param file the list file, in {@link PdqHashList}'s format
   * @param maxEntries the most entries a load accepts, at least 1
   * @param pollInterval how often to look at the file's size and modification time, at least 1 s
   * @return the open list, which the caller must close to stop the thread
   * @throws PdqHashListException when the file cannot be loaded now; no thread is started
   * @throws IllegalArgumentException when {@code maxEntries} is below 1 or {@code pollInterval} under 1 s
   */
  public static ReloadingPdqHashList open(Path file, int maxEntries, Duration pollInterval)
      throws PdqHashListException {
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("pollInterval must be at least 1s: " + pollInterval);
    }
    return new ReloadingPdqHashList(checkedFile(file), checkedMax(maxEntries), pollInterval);
  }

  /**
   * The list in force now: a volatile read, cheap enough for every request.
   *
   * @return the list last loaded successfully
   */
  @Override
  public PdqHashList get() {
    return current;
  }

  /**
   * Loads the file again and swaps it in. On failure the previous list stays in force and the failure is
   * thrown.
   *
   * @return the new list
   * @throws PdqHashListException when the file cannot be loaded; the previous list stays in force
   */
  public synchronized PdqHashList reload() throws PdqHashListException {
    Stamp before = stamp();
    PdqHashList loaded = PdqHashList.load(file, maxEntries);
    current = loaded;
    loadedStamp = before;
    return loaded;
  }

  /**
   * Reloads if the file's size or modification time changed since the last successful load.
   *
   * @return whether a new list was swapped in
   * @throws PdqHashListException when the file changed but cannot be loaded; the previous list stays in
   *     force
   */
  public synchronized boolean reloadIfChanged() throws PdqHashListException {
    Stamp now = stamp();
    if (now != null && now.equals(loadedStamp)) {
      return false;
    }
    reload();
    return true;
  }

  private void pollQuietly() {
    try {
      if (reloadIfChanged()) {
        LOG.info("PDQ hash list {} reloaded: {} entries", file.getFileName(), current.size());
      }
    } catch (PdqHashListException e) {
      LOG.warn("PDQ hash list reload failed, keeping the previous {} entries: {}", current.size(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("PDQ hash list reload failed, keeping the previous {} entries", current.size(), e);
    }
  }

  private @Nullable Stamp stamp() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Object key = a.fileKey();
      return new Stamp(a.size(), a.lastModifiedTime().toMillis(), key == null ? "" : key);
    } catch (IOException e) {
      return null;
    }
  }

  /** Stops polling; the last list stays readable. Idempotent. */
  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }

  /** Whether this instance polls and has not been closed. */
  boolean isPolling() {
    return poller != null && !poller.isShutdown();
  }

  @Override
  public String toString() {
    return "ReloadingPdqHashList{" + file.getFileName() + ", " + current.size() + " entries}";
  }

  private static Path checkedFile(Path file) {
    return Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
  }

  private static int checkedMax(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    return maxEntries;
  }
}
