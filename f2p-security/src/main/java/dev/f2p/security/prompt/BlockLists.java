package dev.f2p.security.prompt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads block lists: UTF-8 text, one {@code term<TAB>CATEGORY} a line, {@code #} comments and blank lines
 * ignored. A malformed line fails with the source and line number (never with the term: lists may be
 * confidential). Bounded: files up to {@value #MAX_FILE_BYTES} bytes, terms up to {@value #MAX_TERM_CHARS}
 * characters.
 */
final class BlockLists {
  static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
  static final int MAX_TERM_CHARS = 200;
  static final Pattern CATEGORY = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  /** The built-in lists, read from this package's resources. */
  static final List<String> BUILT_IN = List.of("blocklist-en.tsv", "blocklist-zh.tsv");

  private BlockLists() {}

  /** Adds a term with its category, checking both. */
  interface Sink {
    void add(String term, String category);
  }

  static void readBuiltIn(Sink sink) {
    for (String name : BUILT_IN) {
      try (InputStream in = BlockLists.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("built-in block list " + name + " is missing from the jar");
        }
        read(in, "built-in " + name, sink);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read built-in block list " + name, e);
      }
    }
  }

  static void read(Path file, Sink sink) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("block list " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      try (InputStream in = Files.newInputStream(file)) {
        read(in, file.toString(), sink);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read block list " + file, e);
    }
  }

  private static void read(InputStream in, String source, Sink sink) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder))) {
      String line;
      int number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank() || line.stripLeading().startsWith("#")) {
          continue;
        }
        int tab = line.lastIndexOf('\t');
        String term = tab < 0 ? "" : line.substring(0, tab).strip();
        String category = tab < 0 ? "" : line.substring(tab + 1).strip();
        if (term.isEmpty() || term.length() > MAX_TERM_CHARS || !CATEGORY.matcher(category).matches()) {
          throw new IllegalArgumentException(source + " line " + number
              + ": expected 'term<TAB>CATEGORY' with a term of 1.." + MAX_TERM_CHARS
              + " characters and a category matching " + CATEGORY);
        }
        sink.add(term, category);
      }
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(source + " is not valid UTF-8", e);
    }
  }

  /** Severity order of the built-in categories: the most severe wins when a prompt matches several. */
  static final Map<String, Integer> SEVERITY = Map.of(
      "SEXUAL_MINORS", 0,
      "NON_CONSENSUAL", 1,
      "IDENTITY_DOCUMENT", 2,
      "IMPERSONATION", 3,
      "SELF_HARM", 4,
      "VIOLENCE", 5,
      "HATE", 6);
}
