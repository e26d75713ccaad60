package dev.f2p.security.pdq;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An immutable list of PDQ hashes, each with a label, searched for every hash within a Hamming distance
 * of a query. Large lists are searched with multi-index hashing: a million hashes at distance 31 in tens
 * of microseconds instead of a scan of all of them; small lists are scanned.
 *
 * <p>File format ({@link #load(Path)}): UTF-8, one entry a line, {@code hash<TAB>label}, the hash in PDQ's
 * 64-digit hex form, the label optional (at most {@value #MAX_LABEL_LENGTH} characters, no control
 * characters). Blank lines and lines starting with {@code #} are skipped. Lines are at most
 * {@value #MAX_LINE_LENGTH} characters, entries at most the given maximum
 * ({@value #DEFAULT_MAX_ENTRIES} by default); any bad line fails the whole load with its line number.
 *
 * <p>Labels are the host's own ids for entries (a case number, a list name); they never go into security
 * events, which carry only hashes. Thread-safe: immutable.
 */
public final class PdqHashList {
  /** The longest line a list file may hold, in characters. */
  public static final int MAX_LINE_LENGTH = 1024;
  /** The longest label, in characters. */
  public static final int MAX_LABEL_LENGTH = 256;
  /** The most entries a file may hold unless the caller allows more. */
  public static final int DEFAULT_MAX_ENTRIES = 2_000_000;
  /** The largest distance a search accepts. */
  public static final int MAX_DISTANCE = MultiIndex.MAX_DISTANCE;
  // Below this size a scan is cheaper than the 272 bucket probes of the index (and its 4 MB of tables).
  static final int INDEX_THRESHOLD = 1024;

  private static final PdqHashList EMPTY = new PdqHashList(new long[0], new String[0], Integer.MAX_VALUE);

  private final long[] words;
  private final String[] labels;
  private final @Nullable MultiIndex index;

  private PdqHashList(long[] words, String[] labels, int indexThreshold) {
    this.words = words;
    this.labels = labels;
    this.index = labels.length >= indexThreshold ? new MultiIndex(words, labels.length) : null;
  }

  /**
   * One listed hash and its label.
   *
   * @param hash the listed hash
   * @param label the host's id for the entry; empty when the file gave none
   */
  public record Entry(PdqHash hash, String label) {
    /**
     * Checks the label as a list file's would be checked.
     *
     * @param hash the listed hash
     * @param label at most {@value #MAX_LABEL_LENGTH} characters, no control character; may be empty
     * @throws IllegalArgumentException when the label is too long or holds a control character
     */
    public Entry {
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(label, "label");
      String problem = labelProblem(label);
      if (problem != null) {
        throw new IllegalArgumentException("label " + problem);
      }
    }
  }

  /**
   * A listed hash found near a query.
   *
   * @param hash the listed hash
   * @param label its label
   * @param distance its Hamming distance to the query, 0 to the search's {@code maxDistance}
   */
  public record Match(PdqHash hash, String label, int distance) {}

  /**
   * The list with no entries: every search finds nothing.
   *
   * @return the shared empty list
   */
  public static PdqHashList empty() {
    return EMPTY;
  }

  /**
   * A list of these entries, in this order; duplicates are kept. Indexed when large, which takes a
   * moment and memory proportional to the size: build it once, off the request path.
   *
   * @param entries the entries; copied, so later changes to the collection do not show
   * @return the list
   */
  public static PdqHashList of(Collection<Entry> entries) {
    return of(entries, INDEX_THRESHOLD);
  }

  static PdqHashList of(Collection<Entry> entries, int indexThreshold) {
    long[] words = new long[entries.size() * 4];
    String[] labels = new String[entries.size()];
    int i = 0;
    for (Entry e : entries) {
      for (int w = 0; w < 4; w++) {
        words[i * 4 + w] = e.hash().word(w);
      }
      labels[i++] = e.label();
    }
    return new PdqHashList(words, labels, indexThreshold);
  }

  /**
   * Loads a list file of at most {@value #DEFAULT_MAX_ENTRIES} entries.
   *
   * @param file the list file, in the format above
   * @return the list; all of the file or nothing
   * @throws PdqHashListException naming the file (not its directory) and the line when it cannot be read
   *     or any line is bad
   */
  public static PdqHashList load(Path file) throws PdqHashListException {
    return load(file, DEFAULT_MAX_ENTRIES);
  }

  /**
   * Loads a list file of at most {@code maxEntries} entries: the bound keeps a swapped or runaway file
   * from taking the heap (each entry costs 32 bytes, its label and its share of the index).
   *
   * @param file the list file, in the format above
   * @param maxEntries the most entries accepted, 0 or more
   * @return the list; all of the file or nothing
   * @throws PdqHashListException naming the file (not its directory) and the line when it cannot be read,
   *     any line is bad, or it holds more than {@code maxEntries} entries
   * @throws IllegalArgumentException when {@code maxEntries} is negative
   */
  public static PdqHashList load(Path file, int maxEntries) throws PdqHashListException {
    String source = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, source, maxEntries);
    } catch (IOException e) {
      throw new PdqHashListException(source, e);
    }
  }

  /**
   * Reads a list in the file format from {@code in} (not closed), naming it {@code source} in errors.
   * Reads to the end of the stream, never holding more than one line of text at once.
   *
   * @param in the list's bytes, UTF-8
   * @param source a name for the list in error messages, such as its file name
   * @param maxEntries the most entries accepted, 0 or more
   * @return the list; all of the stream or nothing
   * @throws PdqHashListException naming {@code source} and the line when the stream cannot be read, is not
   *     UTF-8, any line is bad, or it holds more than {@code maxEntries} entries
   * @throws IllegalArgumentException when {@code maxEntries} is negative
   */
  public static PdqHashList parse(InputStream in, String source, int maxEntries) throws PdqHashListException {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
    }
    Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    Parser parser = new Parser(source, maxEntries);
    try {
      parser.read(reader);
    } catch (CharacterCodingException e) {
      throw new PdqHashListException(PdqHashListException.Kind.ENCODING, source, parser.lineNumber,
          "not UTF-8");
    } catch (IOException e) {
      throw new PdqHashListException(source, e);
    }
    return new PdqHashList(Arrays.copyOf(parser.words, parser.count * 4),
        parser.labels.toArray(String[]::new), INDEX_THRESHOLD);
  }

  /**
   * The number of entries.
   *
   * @return the entries, duplicates counted
   */
  public int size() {
    return labels.length;
  }

  /**
   * The entry at {@code index}.
   *
   * @param index 0-based, in file order
   * @return the entry
   * @throws IndexOutOfBoundsException when {@code index} is not below {@link #size()}
   */
  public Entry get(int index) {
    Objects.checkIndex(index, labels.length);
    return new Entry(hashAt(index), labels[index]);
  }

  /**
   * The listed hash nearest to {@code query} within {@code maxDistance} (0..{@value #MAX_DISTANCE}), the
   * first in list order among equally near ones.
   *
   * @param query the hash searched for
   * @param maxDistance the largest Hamming distance that matches, 0..{@value #MAX_DISTANCE}
   * @return the nearest match; empty when no listed hash is that near
   * @throws IllegalArgumentException when {@code maxDistance} is out of range
   */
  public Optional<Match> findNearest(PdqHash query, int maxDistance) {
    int[] best = {-1, Integer.MAX_VALUE};
    search(query, maxDistance, id -> {
      int d = distance(id, query);
      if (d < best[1] || (d == best[1] && id < best[0])) {
        best[0] = id;
        best[1] = d;
      }
    });
    return best[0] < 0 ? Optional.empty() : Optional.of(match(best[0], best[1]));
  }

  /**
   * Every listed hash within {@code maxDistance} of {@code query}, nearest first.
   *
   * @param query the hash searched for
   * @param maxDistance the largest Hamming distance that matches, 0..{@value #MAX_DISTANCE}
   * @return the matches, nearest first; empty when none. As long as the list in the worst case (a list
   *     of near-duplicates): prefer {@link #findNearest} on a request path
   * @throws IllegalArgumentException when {@code maxDistance} is out of range
   */
  public List<Match> findAll(PdqHash query, int maxDistance) {
    List<Match> out = new ArrayList<>();
    search(query, maxDistance, id -> out.add(match(id, distance(id, query))));
    out.sort((a, b) -> Integer.compare(a.distance(), b.distance()));
    return out;
  }

  private void search(PdqHash query, int maxDistance, java.util.function.IntConsumer found) {
    Objects.requireNonNull(query, "query");
    if (maxDistance < 0 || maxDistance > MAX_DISTANCE) {
      throw new IllegalArgumentException("maxDistance must be 0.." + MAX_DISTANCE + ": " + maxDistance);
    }
    long q0 = query.word(0);
    long q1 = query.word(1);
    long q2 = query.word(2);
    long q3 = query.word(3);
    if (index != null) {
      index.search(q0, q1, q2, q3, maxDistance, found);
      return;
    }
    for (int id = 0; id < labels.length; id++) {
      if (distance(id, query) <= maxDistance) {
        found.accept(id);
      }
    }
  }

  private int distance(int id, PdqHash query) {
    return hashAt(id).distance(query);
  }

  private PdqHash hashAt(int id) {
    int b = id * 4;
    return new PdqHash(words[b], words[b + 1], words[b + 2], words[b + 3]);
  }

  private Match match(int id, int distance) {
    return new Match(hashAt(id), labels[id], distance);
  }

  @Override
  public String toString() {
    return "PdqHashList{" + labels.length + " entries}";
  }

  static @Nullable String labelProblem(String label) {
    if (label.length() > MAX_LABEL_LENGTH) {
      return "longer than " + MAX_LABEL_LENGTH + " characters";
    }
    for (int i = 0; i < label.length(); i++) {
      if (Character.isISOControl(label.charAt(i))) {
        return "holds a control character at index " + i;
      }
    }
    return null;
  }

  /** Reads lines of bounded length without ever holding more than one line. */
  private static final class Parser {
    final String source;
    final int maxEntries;
    final List<String> labels = new ArrayList<>();
    final StringBuilder line = new StringBuilder();
    long[] words = new long[64];
    int count;
    long lineNumber = 1;

    Parser(String source, int maxEntries) {
      this.source = source;
      this.maxEntries = maxEntries;
    }

    void read(Reader reader) throws IOException, PdqHashListException {
      char[] buffer = new char[8192];
      int n;
      while ((n = reader.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          char ch = buffer[i];
          if (ch == '\n') {
            endLine();
          } else if (line.length() >= MAX_LINE_LENGTH) {
            throw new PdqHashListException(PdqHashListException.Kind.LINE_TOO_LONG, source, lineNumber,
                "line longer than " + MAX_LINE_LENGTH + " characters");
          } else {
            line.append(ch);
          }
        }
      }
      if (!line.isEmpty()) {
        endLine();
      }
    }

    private void endLine() throws PdqHashListException {
      int end = line.length();
      if (end > 0 && line.charAt(end - 1) == '\r') {
        end--;
      }
      int start = lineNumber == 1 && end > 0 && line.charAt(0) == '\uFEFF' ? 1 : 0;
      String text = line.substring(start, end);
      line.setLength(0);
      if (!text.isBlank() && !text.startsWith("#")) {
        add(text);
      }
      lineNumber++;
    }

    private void add(String text) throws PdqHashListException {
      int tab = text.indexOf('\t');
      String hex = (tab < 0 ? text : text.substring(0, tab)).strip();
      String label = tab < 0 ? "" : text.substring(tab + 1).strip();
      PdqHash hash;
      try {
        hash = PdqHash.fromHex(hex);
      } catch (IllegalArgumentException e) {
        throw new PdqHashListException(PdqHashListException.Kind.BAD_HASH, source, lineNumber,
            "expected 64 hex digits, then a tab and a label");
      }
      String problem = labelProblem(label);
      if (problem != null) {
        throw new PdqHashListException(PdqHashListException.Kind.BAD_LABEL, source, lineNumber,
            "label " + problem);
      }
      if (count >= maxEntries) {
        throw new PdqHashListException(PdqHashListException.Kind.TOO_MANY_ENTRIES, source, lineNumber,
            "more than " + maxEntries + " entries");
      }
      if (words.length < (count + 1) * 4) {
        words = Arrays.copyOf(words, Math.max(words.length * 2, 64));
      }
      for (int w = 0; w < 4; w++) {
        words[count * 4 + w] = hash.word(w);
      }
      labels.add(label);
      count++;
    }
  }
}
