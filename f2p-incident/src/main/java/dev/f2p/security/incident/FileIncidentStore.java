package dev.f2p.security.incident;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IncidentStore} that survives restarts: every change is appended to a journal file as one
 * checksummed line and forced to disk before {@link #apply} returns, so a change that returned is never
 * lost. A process that dies mid-write leaves at most a torn last line; its checksum fails and loading
 * drops it (that change had not returned, so nothing committed is lost). On opening, and whenever the
 * journal has grown well past the live state, the store compacts: it writes the live state to a
 * temporary file, forces it, and moves it over the journal with an atomic rename, so the file on disk
 * is always either the old journal or the new one, never a mix.
 *
 * <p>Line format: {@code <crc32 hex> <record>}, records {@code R <TARGET> <until epoch ms|MAX> <subject>},
 * {@code U <TARGET> <subject>} and {@code L <MODE>}. Thread-safe; one process per file.
 */
public final class FileIncidentStore extends AbstractIncidentStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileIncidentStore.class);
  private static final String HEADER = "# f2p incident journal v1\n";
  private static final int MIN_COMPACT = 1024;

  private final Path path;
  private @Nullable FileChannel journal; // set by compact(), which open() runs before returning the store
  private int records;
  private boolean closed;

  private FileIncidentStore(Path path, Clock clock, int maxEntries) {
    super(clock, maxEntries);
    this.path = path;
  }

  /**
   * Opens (or creates) the journal at {@code path}, holding at most
   * {@value InMemoryIncidentStore#DEFAULT_MAX_ENTRIES} restrictions.
   *
   * @param path the journal file; its directory must exist and allow an atomic rename
   * @return the open store, holding the state the journal recorded; the caller closes it
   * @throws IOException when the journal cannot be read, written or compacted, or its file system cannot
   *     rename atomically
   */
  public static FileIncidentStore open(Path path) throws IOException {
    return open(path, Clock.systemUTC(), InMemoryIncidentStore.DEFAULT_MAX_ENTRIES);
  }

  /**
   * Opens (or creates) the journal at {@code path}. Loading skips (and logs) records whose checksum
   * fails, and drops a torn last line; then the journal is compacted to the live state.
   *
   * @param path the journal file; its directory must exist and allow an atomic rename (a
   *     {@code .tmp} file is written beside it). One process per file.
   * @param clock decides which restrictions have expired, when compacting and when the store is full
   * @param maxEntries the most restrictions held at once, at least 1; a new restriction beyond it is
   *     refused ({@link #apply} throws {@link IllegalStateException})
   * @return the open store, holding the state the journal recorded; the caller closes it
   * @throws IOException when the journal cannot be read, written or compacted, or its file system cannot
   *     rename atomically
   * @throws IllegalArgumentException when {@code maxEntries} is below 1
   */
  public static FileIncidentStore open(Path path, Clock clock, int maxEntries) throws IOException {
    FileIncidentStore store = new FileIncidentStore(Objects.requireNonNull(path, "path").toAbsolutePath(),
        Objects.requireNonNull(clock, "clock"), maxEntries);
    synchronized (store) {
      store.load();
      store.compact();
    }
    return store;
  }

  private void load() throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    byte[] bytes = Files.readAllBytes(path);
    int start = 0;
    int dropped = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      start = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      IncidentChange change = decode(line);
      if (change == null) {
        dropped++;
      } else {
        update(change);
      }
    }
    if (start < bytes.length) {
      LOG.warn("incident journal {}: dropped a torn last record ({} bytes) left by an interrupted write", path,
          bytes.length - start);
    }
    if (dropped > 0) {
      LOG.error("incident journal {}: {} corrupt record(s) failed their checksum and were skipped", path, dropped);
    }
  }

  @Override
  void persist(IncidentChange change) {
    if (closed) {
      throw new IllegalStateException("incident store is closed: " + path);
    }
    try {
      FileChannel j = Objects.requireNonNull(journal, "opened");
      j.write(ByteBuffer.wrap(line(encode(change)).getBytes(StandardCharsets.UTF_8)));
      j.force(false);
      records++;
      if (records > MIN_COMPACT + 2 * size()) {
        purgeExpired();
        compact();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("incident journal " + path + ": could not persist a change", e);
    }
  }

  /** Writes the live state to a new file and renames it over the journal. Called holding the lock. */
  private void compact() throws IOException {
    List<String> lines = new ArrayList<>();
    Instant now = clock.instant();
    for (Map.Entry<Key, Instant> e : restrictions.entrySet()) {
      if (e.getValue().isAfter(now)) {
        lines.add(encode(new IncidentChange.Restrict(e.getKey().target(), e.getKey().subject(), e.getValue())));
      }
    }
    if (lockdown() != LockdownMode.OFF) {
      lines.add(encode(new IncidentChange.Lockdown(lockdown())));
    }
    StringBuilder out = new StringBuilder(HEADER);
    lines.forEach(l -> out.append(line(l)));
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    if (journal != null) {
      journal.close();
    }
    try {
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + path + " cannot rename atomically; choose another", e);
    }
    forceDirectory(path.getParent());
    journal = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    records = lines.size();
  }

  private static void forceDirectory(@Nullable Path dir) {
    if (dir == null) {
      return;
    }
    // Makes the rename itself durable; some platforms cannot open a directory, which is then best effort.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.debug("could not force directory {}", dir, e);
    }
  }

  static String encode(IncidentChange change) {
    if (change instanceof IncidentChange.Restrict r) {
      String until = r.until().equals(Instant.MAX) ? "MAX" : Long.toString(r.until().toEpochMilli());
      return "R " + r.target() + " " + until + " " + r.subject();
    } else if (change instanceof IncidentChange.Lift l) {
      return "U " + l.target() + " " + l.subject();
    }
    return "L " + ((IncidentChange.Lockdown) change).mode();
  }

  private static String line(String record) {
    return crc(record) + " " + record + "\n";
  }

  private static String crc(String record) {
    CRC32 crc = new CRC32();
    crc.update(record.getBytes(StandardCharsets.UTF_8));
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  /** The change a journal line holds, or null when its checksum or syntax is wrong. */
  static @Nullable IncidentChange decode(String line) {
    if (line.length() < 10 || line.charAt(8) != ' ') {
      return null;
    }
    String record = line.substring(9);
    if (!crc(record).equals(line.substring(0, 8))) {
      return null;
    }
    String[] f = record.split(" ");
    try {
      switch (f[0]) {
        case "R":
          if (f.length == 4) {
            Instant until = f[2].equals("MAX") ? Instant.MAX : Instant.ofEpochMilli(Long.parseLong(f[2]));
            return new IncidentChange.Restrict(IncidentTarget.valueOf(f[1]), f[3], until);
          }
          return null;
        case "U":
          return f.length == 3 ? new IncidentChange.Lift(IncidentTarget.valueOf(f[1]), f[2]) : null;
        case "L":
          return f.length == 2 ? new IncidentChange.Lockdown(LockdownMode.valueOf(f[1])) : null;
        default:
          return null;
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The journal's path.
   *
   * @return the absolute path of the journal file
   */
  public Path path() {
    return path;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (journal != null) {
        journal.close();
      }
    } catch (IOException e) {
      LOG.warn("closing incident journal {} failed", path, e);
    }
  }

  @Override
  public String toString() {
    return "FileIncidentStore{" + path + '}';
  }
}
