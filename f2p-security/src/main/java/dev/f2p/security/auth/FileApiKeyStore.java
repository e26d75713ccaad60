package dev.f2p.security.auth;

import dev.f2p.core.Role;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key records in a properties file, holding hashes only:
 *
 * <pre>
 * format=1
 * count=1
 * key.ab12cd34ef56.principal=alice
 * key.ab12cd34ef56.roles=USER
 * key.ab12cd34ef56.hash=hmac-sha256:3q2-7w...
 * key.ab12cd34ef56.created=2026-01-01T00:00:00Z
 * key.ab12cd34ef56.expires=2026-02-01T00:00:00Z
 * key.ab12cd34ef56.state=ACTIVE
 * end=1
 * </pre>
 *
 * <p>Writes go to a temporary file in the same folder that is then moved over the old one atomically, under
 * a lock file ({@code <name>.lock}) so two writers (the server and the keys command) do not lose each
 * other's changes. The file is re-read when its modification time, size or identity changes, checked at
 * most once per {@link #DEFAULT_RELOAD_INTERVAL reload interval} on lookups; a file that is half-written
 * (no {@code end} line matching {@code count}), corrupt or missing is ignored with a warning, and the last
 * good records stay in force. Changes made through this instance apply on the next lookup.
 *
 * <p>Thread-safe. Lookups read an immutable snapshot without locking.
 */
public final class FileApiKeyStore implements ApiKeyStore {
  /** How often lookups check whether the file changed: one second. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(1);
  /** The largest key file read: 16 MiB (about 50,000 keys). */
  public static final long MAX_FILE_BYTES = 16L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(FileApiKeyStore.class);
  private static final String FORMAT = "1";
  private static final Set<String> FIELDS = Set.of("principal", "roles", "hash", "created", "expires", "state");

  private final Path file;
  private final Clock clock;
  private final long reloadMillis;
  private volatile Map<String, ApiKeyRecord> records;
  private volatile @Nullable Signature loaded;
  private volatile long nextCheckMillis;
  /** The last version found broken, so one bad file is reported once, not on every check. */
  private volatile @Nullable Signature rejected;

  private FileApiKeyStore(Path file, Clock clock, Duration reloadInterval, Map<String, ApiKeyRecord> records,
      @Nullable Signature loaded) {
    this.file = file;
    this.clock = clock;
    this.reloadMillis = reloadInterval.toMillis();
    this.records = records;
    this.loaded = loaded;
    this.nextCheckMillis = clock.millis() + reloadMillis;
  }

  /**
   * Opens {@code file} with the system clock and the default reload interval; see
   * {@link #open(Path, Clock, Duration)}.
   *
   * @param file the key file; need not exist yet
   * @return the store
   * @throws IOException when the file exists but cannot be read, is larger than {@value #MAX_FILE_BYTES}
   *     bytes, or is incomplete or corrupt
   */
  public static FileApiKeyStore open(Path file) throws IOException {
    return open(file, Clock.systemUTC(), DEFAULT_RELOAD_INTERVAL);
  }

  /**
   * Opens a key file. A missing file is an empty store (it is created on the first save); a file that
   * exists but cannot be read fails here, so a server never starts on a broken key file.
   *
   * @param file the key file; need not exist yet (its folder must, for the first save)
   * @param clock the time for the reload checks
   * @param reloadInterval the least time between two checks of the file, zero or more (zero: every lookup)
   * @return the store
   * @throws IOException when the file exists but cannot be read, is larger than {@value #MAX_FILE_BYTES}
   *     bytes, or is incomplete or corrupt (the message names the key or line, never a hash)
   * @throws IllegalArgumentException when {@code reloadInterval} is negative
   */
  public static FileApiKeyStore open(Path file, Clock clock, Duration reloadInterval) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(clock, "clock");
    if (reloadInterval.isNegative()) {
      throw new IllegalArgumentException("reloadInterval must not be negative: " + reloadInterval);
    }
    Path f = file.toAbsolutePath();
    if (!Files.exists(f)) {
      return new FileApiKeyStore(f, clock, reloadInterval, Map.of(), null);
    }
    Signature sig = Signature.of(f);
    return new FileApiKeyStore(f, clock, reloadInterval, parse(read(f)), sig);
  }

  /**
   * The file this store reads and writes.
   *
   * @return its absolute path
   */
  public Path file() {
    return file;
  }

  @Override
  public Optional<ApiKeyRecord> find(String keyId) {
    reloadIfDue();
    return Optional.ofNullable(records.get(keyId));
  }

  @Override
  public List<ApiKeyRecord> list() {
    reloadIfDue();
    List<ApiKeyRecord> all = new ArrayList<>(records.values());
    all.sort(ApiKeyRecord.OLDEST_FIRST);
    return all;
  }

  @Override
  public void save(List<ApiKeyRecord> toSave) {
    synchronized (this) {
      try (FileChannel lockChannel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockChannel.lock()) {
        // Start from what is on disk now, so a change another process made is kept.
        Signature now = Signature.ofOrNull(file);
        Map<String, ApiKeyRecord> base = records;
        if (now != null && !now.equals(loaded)) {
          base = parse(read(file));
        }
        Map<String, ApiKeyRecord> next = new HashMap<>(base);
        for (ApiKeyRecord r : toSave) {
          next.put(r.keyId(), r);
        }
        write(next);
        records = Map.copyOf(next);
        loaded = Signature.of(file);
      } catch (IOException e) {
        throw new UncheckedIOException("could not save keys to " + file, e);
      }
    }
  }

  private void reloadIfDue() {
    long now = clock.millis();
    if (now < nextCheckMillis) {
      return;
    }
    nextCheckMillis = now + reloadMillis;
    synchronized (this) {
      Signature sig = Signature.ofOrNull(file);
      if (sig == null) {
        if (loaded != null && rejected == null) {
          LOG.warn("Key file {} is missing; keeping the {} keys last loaded", file, records.size());
          rejected = new Signature(null, -1, -1);
        }
        return;
      }
      if (sig.equals(loaded) || sig.equals(rejected)) {
        return;
      }
      try {
        Map<String, ApiKeyRecord> next = parse(read(file));
        records = next;
        loaded = sig;
        rejected = null;
        LOG.info("Reloaded key file {}: {} keys", file, next.size());
      } catch (IOException | RuntimeException e) {
        rejected = sig;
        // The message names a field or a line shape, never a hash: safe to log.
        LOG.warn("Key file {} is unreadable ({}); keeping the {} keys last loaded", file, e.getMessage(), records.size());
      }
    }
  }

  private Path lockFile() {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  private static byte[] read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException("key file is larger than " + MAX_FILE_BYTES + " bytes");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new IOException("key file is larger than " + MAX_FILE_BYTES + " bytes");
      }
      return bytes;
    }
  }

  /** Parses a whole file; any defect fails the whole file (a partial key set would be worse). */
  static Map<String, ApiKeyRecord> parse(byte[] bytes) throws IOException {
    Properties p = new Properties();
    p.load(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
    if (!FORMAT.equals(p.getProperty("format"))) {
      throw new IOException("format must be " + FORMAT);
    }
    String count = p.getProperty("count");
    if (count == null || !count.equals(p.getProperty("end"))) {
      throw new IOException("count and end lines missing or different: the file is incomplete");
    }
    Map<String, Map<String, String>> byId = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.equals("format") || name.equals("count") || name.equals("end")) {
        continue;
      }
      int dot = name.lastIndexOf('.');
      if (!name.startsWith("key.") || dot <= 4 || !FIELDS.contains(name.substring(dot + 1))) {
        throw new IOException("unexpected line: " + name.substring(0, Math.min(name.length(), 40)).replaceAll("[^A-Za-z0-9._-]", "?"));
      }
      byId.computeIfAbsent(name.substring(4, dot), k -> new HashMap<>()).put(name.substring(dot + 1), p.getProperty(name));
    }
    if (!count.equals(Integer.toString(byId.size()))) {
      throw new IOException("count is " + count + " but the file holds " + byId.size() + " keys");
    }
    Map<String, ApiKeyRecord> out = new HashMap<>();
    for (Map.Entry<String, Map<String, String>> e : byId.entrySet()) {
      out.put(e.getKey(), record(e.getKey(), e.getValue()));
    }
    return Map.copyOf(out);
  }

  private static ApiKeyRecord record(String keyId, Map<String, String> f) throws IOException {
    try {
      Set<Role> roles = new LinkedHashSet<>();
      for (String r : required(keyId, f, "roles").split(",")) {
        if (!r.isBlank()) {
          roles.add(Role.of(r));
        }
      }
      String expires = f.get("expires");
      return ApiKeyRecord.of(keyId, required(keyId, f, "principal"), roles, KeyHash.parse(required(keyId, f, "hash")),
          Instant.parse(required(keyId, f, "created")),
          expires == null || expires.isBlank() ? Optional.empty() : Optional.of(Instant.parse(expires)),
          KeyState.valueOf(required(keyId, f, "state")));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException("key " + keyId + ": " + e.getMessage(), e);
    }
  }

  private static String required(String keyId, Map<String, String> f, String field) throws IOException {
    String v = f.get(field);
    if (v == null || v.isBlank()) {
      throw new IOException("key " + keyId + " has no " + field);
    }
    return v.trim();
  }

  private void write(Map<String, ApiKeyRecord> all) throws IOException {
    StringBuilder s = new StringBuilder(256 + all.size() * 256);
    s.append("# F2P Guard API keys: hashes only, never a key. Edit with the keys command.\n");
    s.append("format=").append(FORMAT).append('\n');
    s.append("count=").append(all.size()).append('\n');
    for (ApiKeyRecord r : new TreeMap<>(all).values()) {
      String k = "key." + r.keyId() + ".";
      s.append(k).append("principal=").append(r.principalId()).append('\n');
      s.append(k).append("roles=").append(String.join(",", r.roles().stream().map(Role::name).sorted().toList())).append('\n');
      s.append(k).append("hash=").append(r.hash().encoded()).append('\n');
      s.append(k).append("created=").append(r.created()).append('\n');
      r.expires().ifPresent(e -> s.append(k).append("expires=").append(e).append('\n'));
      s.append(k).append("state=").append(r.state()).append('\n');
    }
    s.append("end=").append(all.size()).append('\n');

    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the folder's permissions must protect the file.
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot replace " + file + " atomically", e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** What identifies one version of the file without reading it. */
  private record Signature(@Nullable Object fileKey, long modifiedMillis, long size) {
    static Signature of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Signature(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
    }

    static @Nullable Signature ofOrNull(Path file) {
      try {
        return of(file);
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        return null;
      }
    }
  }
}
