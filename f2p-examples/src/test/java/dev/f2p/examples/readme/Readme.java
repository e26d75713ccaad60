package dev.f2p.examples.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project README as tests read it: its fenced code blocks, its settings, and the compiled code its
 * Java blocks must be (a whole source file of this module, or a region between {@code // README: name}
 * and {@code // END README}). One helper for every README check.
 */
public final class Readme {
  /** The README, from this module's directory (where Surefire runs). */
  public static final Path FILE = Path.of("..", "README.md");
  private static final Pattern BLOCK = Pattern.compile("(?ms)^```(\\w+)\\n(.*?)\\n```$");
  private static final Pattern REGION = Pattern.compile("(?ms)^([ \\t]*)// README: ([\\w-]+)\\n(.*?)\\n[ \\t]*// END README$");
  private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("src/test/java"));

  private Readme() {}

  /** The README's text. */
  public static String text() {
    try {
      return Files.readString(FILE, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The contents of every fenced block in language {@code lang} ({@code java}, {@code properties}), in order. */
  public static List<String> blocks(String lang) {
    List<String> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text());
    while (m.find()) {
      if (m.group(1).equals(lang)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  /**
   * The settings of one properties block, trailing {@code # comments} removed (the README writes them
   * after values; a properties file would not). A commented-out setting ({@code # f2p.x=...}, an
   * alternative to the one above it) counts as documented too.
   */
  public static Map<String, String> settings(String propertiesBlock) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : propertiesBlock.split("\n")) {
      String l = line.strip();
      if (l.matches("#\\s*f2p\\.[\\w.*-]+=.*")) {
        l = l.substring(1).strip();
      }
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      out.put(l.substring(0, eq).strip(), l.substring(eq + 1).replaceFirst("\\s+#.*$", "").strip());
    }
    return out;
  }

  /** What a README Java block may be: every source file of this module, whole, and every marked region. */
  public static List<String> compiledCode() {
    List<String> out = new ArrayList<>();
    for (Path root : SOURCES) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String source = Files.readString(f, StandardCharsets.UTF_8);
          out.add(source.strip());
          Matcher m = REGION.matcher(source);
          while (m.find()) {
            out.add(dedent(m.group(3), m.group(1).length()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static String dedent(String region, int indent) {
    StringBuilder b = new StringBuilder();
    for (String line : region.split("\n", -1)) {
      b.append(line.length() >= indent && line.substring(0, indent).isBlank() ? line.substring(indent) : line.strip())
          .append('\n');
    }
    return b.toString().stripTrailing();
  }
}
