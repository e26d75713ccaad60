package dev.f2p.security.prompt;

import dev.f2p.core.Confidence;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The compiled lists: every entry read through the same {@link Fold} and {@link PromptScan} as prompts, so
 * that an entry written in one script matches every script it can be disguised in, in two automata (Latin
 * words, and the scripts matched as written).
 *
 * <p>List files are UTF-8 text, {@code #} comments and blank lines ignored, one entry a line, either
 * {@code term<TAB>CATEGORY} (the classic form: a refusal with {@link Confidence#HIGH}) or
 * {@code term<TAB>KIND<TAB>LANGUAGE<TAB>SOURCE[<TAB>LICENCE]}, where KIND is
 * <ul>
 *   <li>a category ({@code HATE}), optionally {@code /LOW} for a term with a common harmless sense;
 *   <li>a concept the rules combine ({@link Concept}), such as {@code MINOR} or {@code UNDRESS};
 *   <li>{@code NUMBER=n} for a number word ({@code twelve}, {@code douze}).
 * </ul>
 * A trailing {@code *} matches any ending ({@code desnud*}). A malformed line fails with the source and line
 * number (never with the term: lists may be confidential). Bounded: files up to {@value #MAX_FILE_BYTES}
 * bytes, terms up to {@value #MAX_TERM_CHARS} characters. Immutable once built; thread-safe.
 */
final class Lexicon {
  static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
  static final int MAX_TERM_CHARS = 200;
  static final Pattern CATEGORY = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  /** The built-in lists, one per language, read from this package's resources. */
  static final List<String> BUILT_IN = List.of("lexicon-en.tsv", "lexicon-zh.tsv", "lexicon-es.tsv",
      "lexicon-fr.tsv", "lexicon-de.tsv", "lexicon-pt.tsv", "lexicon-ru.tsv", "lexicon-ja.tsv", "lexicon-ko.tsv",
      "lexicon-ar.tsv");

  /** Romanisations of languages written without spaces between words. */
  static final Set<String> ROMANISED = Set.of("zh-Latn", "ja-Latn", "ko-Latn");

  /** Severity order of the built-in categories: the most severe wins when a prompt matches several. */
  static final List<String> SEVERITY = List.of("SEXUAL_MINORS", "NON_CONSENSUAL", "IDENTITY_DOCUMENT",
      "IMPERSONATION", "SELF_HARM", "VIOLENCE", "HATE");

  /** What the rules combine; see {@link Rules}. */
  enum Concept {
    /** A word for a child, in any language. */
    MINOR,
    /** Nudity, alone enough to refuse. */
    NUDITY,
    /** A sexual act or explicit material, alone enough to refuse. */
    SEXUAL,
    /** Suggestive but harmless about adults ({@code sexy}); refused with a minor. */
    SEXY,
    /** Underwear; refused with a minor, or with an undressing verb. */
    UNDERWEAR,
    /** A piece of clothing. */
    CLOTHING,
    /** Clothing as a whole ({@code clothes}, {@code ropa}). */
    CLOTHING_ALL,
    /** Being clothed or censored ({@code dressed}, {@code mosaic}); asks for a nude when a negative prompt excludes it. */
    CLOTHED,
    /** A negation before clothing ({@code without}, {@code sin}, {@code без}). */
    WITHOUT,
    /** A particle that undresses right after a garment ({@code her top off}). */
    OFF,
    /** A word that puts what an undressing verb acts on elsewhere ({@code remove the stain from her dress}). */
    BREAK,
    /** An undressing verb ({@code take off}, {@code 脱}); refused next to clothing. */
    UNDRESS,
    /** A number word; the entry's value. */
    NUMBER,
    /** A unit of age after a number ({@code years}, {@code ans}). */
    AGE_UNIT,
    /** A word for age before a number ({@code aged}). */
    AGE_PREFIX,
    /** A well-known real person. */
    PERSON_NAME,
    /** A deceptive or official setting ({@code arrested}, {@code press conference}). */
    DECEPTIVE,
    /** An identity document. */
    DOCUMENT,
    /** Forgery or the details of a document ({@code fake}, {@code hologram}). */
    FORGERY,
    /** Adulthood, as excluded by a negative prompt ({@code adult}, {@code mature}). */
    ADULT,
    /** A group of people hate is aimed at ({@code immigrants}, {@code 黒人}); nothing alone. */
    GROUP,
    /** A dehumanising or hostile word ({@code vermin}, {@code apes}, {@code racist}, {@code death to}): hate next to a group. */
    HOSTILE,
    /**
     * A public office ({@code president}, {@code pope}), or a public figure's name that is also a common word
     * ({@code lula}, a squid): impersonation in a deceptive setting, nothing alone.
     */
    OFFICE,
    /** Awareness and prevention ({@code awareness}, {@code 预防}): a self-harm, violence or hate term right next to it is the topic, not the request. */
    AWARENESS,
    /** A thing a nudity word can describe harmlessly ({@code lipstick}, {@code truth}, {@code cake}). */
    OBJECT,
    /** A work of art as an object ({@code statue}, {@code museum}): a nude there is the artwork, when no person is named. */
    ART,
    /** A person who could be put into the picture ({@code me}, {@code her}, {@code this woman}). */
    SUBJECT,
    /** A photo background ({@code background}, {@code 背景}): an identity document with it is an ID-photo edit. */
    BACKGROUND,
    /** A verb that undresses with a separable particle ({@code zieh} ... {@code aus}). */
    PULL,
    /** The separable particle that completes {@link #PULL} right after a garment ({@code aus}). */
    PARTICLE,
    /** A wrist or forearm; self-harm next to a blade. */
    WRIST,
    /** A blade or a cut ({@code razor}, {@code knife}, an emoji knife). */
    BLADE,
    /** An armed attack ({@code shooting up}, {@code opening fire}); violence next to a crowded place. */
    ATTACK,
    /** A crowded place ({@code school}, {@code church}, {@code concert}). */
    CROWD,
    /** A harmless phrase whose words must not count ({@code nude lipstick}, {@code killing it}). */
    ALLOW
  }

  /** One entry; {@code category} is null for a concept. */
  record Entry(@Nullable String category, @Nullable Concept concept, Confidence confidence, int value,
      String language, String source) {}

  final List<Entry> entries;
  final List<String> categories;
  final Map<String, Integer> ranks;
  final AhoCorasick latin;
  /** For each Latin term: its entry, where its words break (offsets), whether any ending may follow. */
  final int[] latinEntry;
  final int[][] latinBreaks;
  final boolean[] latinPrefix;
  /** For each Latin term: how many letters of an inflection ending may follow it (Russian cases). */
  final byte[] latinSlack;
  final int[] latinLength;
  final AhoCorasick natives;
  final int[] nativeEntry;
  final int[] nativeLengths;
  /** Latin readings of the age units, for {@code 12yo}-style words. */
  final String[] ageUnits;
  final int termCount;

  private Lexicon(Builder b) {
    this.entries = List.copyOf(b.entries);
    this.categories = List.copyOf(b.categories);
    this.ranks = Map.copyOf(b.ranks);
    this.latin = new AhoCorasick(b.latinTexts);
    this.latinEntry = b.latinEntry.stream().mapToInt(Integer::intValue).toArray();
    this.latinBreaks = b.latinBreaks.toArray(new int[0][]);
    this.latinPrefix = new boolean[b.latinPrefix.size()];
    for (int i = 0; i < latinPrefix.length; i++) {
      latinPrefix[i] = b.latinPrefix.get(i);
    }
    this.latinSlack = new byte[b.latinSlack.size()];
    for (int i = 0; i < latinSlack.length; i++) {
      latinSlack[i] = b.latinSlack.get(i);
    }
    this.latinLength = b.latinTexts.stream().mapToInt(String::length).toArray();
    this.natives = new AhoCorasick(b.nativeTexts);
    this.nativeEntry = b.nativeEntry.stream().mapToInt(Integer::intValue).toArray();
    this.nativeLengths = b.nativeTexts.stream().mapToInt(String::length).toArray();
    this.ageUnits = b.ageUnits.toArray(new String[0]);
    this.termCount = b.latinTexts.size() + b.nativeTexts.size();
  }

  /** A category's severity rank (0 is the most severe); categories no list names rank last. */
  int rank(String category) {
    Integer r = ranks.get(category);
    return r == null ? Integer.MAX_VALUE : r;
  }

  /** Collects entries; not thread-safe. */
  static final class Builder {
    final List<Entry> entries = new ArrayList<>();
    final List<String> categories = new ArrayList<>(SEVERITY);
    final Map<String, Integer> ranks = new LinkedHashMap<>();
    final List<String> latinTexts = new ArrayList<>();
    final List<Integer> latinEntry = new ArrayList<>();
    final List<int[]> latinBreaks = new ArrayList<>();
    final List<Boolean> latinPrefix = new ArrayList<>();
    final List<Byte> latinSlack = new ArrayList<>();
    final List<String> nativeTexts = new ArrayList<>();
    final List<Integer> nativeEntry = new ArrayList<>();
    final List<String> ageUnits = new ArrayList<>();

    Builder() {
      for (int i = 0; i < categories.size(); i++) {
        ranks.put(categories.get(i), i);
      }
    }

    /** Adds a category term with {@link Confidence#HIGH}, as the classic form does. */
    void addTerm(String term, String category, String source) {
      add(term, new Entry(category, null, Confidence.HIGH, 0, "und", source), source, 0);
    }

    Lexicon build() {
      return new Lexicon(this);
    }

    private void add(String raw, Entry entry, String source, int line) {
      boolean prefix = raw.endsWith("*");
      String term = prefix ? raw.substring(0, raw.length() - 1) : raw;
      if (entry.category() != null && !ranks.containsKey(entry.category())) {
        ranks.put(entry.category(), categories.size());
        categories.add(entry.category());
      }
      PromptScan scan = PromptScan.of(Fold.caseFold(PromptText.clean(term).text()));
      boolean hasLatin = scan.latin.len > 0;
      boolean hasNative = scan.nativeView.len > 0;
      if (hasLatin == hasNative) {
        throw new IllegalArgumentException(source + (line > 0 ? " line " + line : "") + ": a term must be "
            + (hasLatin ? "in one kind of script (Latin-read or CJK/Arabic), not both" : "made of letters"));
      }
      int index = entries.size();
      entries.add(entry);
      if (hasNative) {
        nativeTexts.add(scan.nativeView.text().replace("|", ""));
        nativeEntry.add(index);
        return;
      }
      String language = entry.language();
      boolean romanised = ROMANISED.contains(language);
      byte slack = inflected(language) && scan.latin.tokens == 1 && scan.latin.len >= 4 ? (byte) 2 : 0;
      addLatin(scan.latin, index, prefix, romanised, slack);
      if (scan.alternative != null) {
        addLatin(scan.alternative, index, prefix, romanised, slack);
      }
      String stem = slack > 0 ? stem(scan.latin.text()) : null;
      if (stem != null) {
        // Russian declines by changing the last vowel (tyurma, v tyurme): the stem with an ending matches too.
        addLatin(PromptScan.of(stem).latin, index, prefix, false, slack);
      }
      if (entry.concept() == Concept.AGE_UNIT) {
        ageUnits.add(scan.latin.text());
      }
    }

    /**
     * Adds one Latin reading. A romanisation of a language written without spaces between words (pinyin,
     * romaji, romanised Korean) may be split anywhere a prompt puts spaces ({@code xi jin ping}).
     */
    private void addLatin(PromptScan.LatinView v, int index, boolean prefix, boolean romanised, byte slack) {
      int[] breaks;
      if (romanised) {
        breaks = new int[Math.max(0, v.len - 1)];
        for (int i = 1; i < v.len; i++) {
          breaks[i - 1] = i;
        }
      } else {
        breaks = new int[Math.max(0, v.tokens - 1)];
        for (int t = 1; t < v.tokens; t++) {
          breaks[t - 1] = v.tokStart[t];
        }
      }
      latinTexts.add(v.text());
      latinEntry.add(index);
      latinBreaks.add(breaks);
      latinPrefix.add(prefix);
      latinSlack.add(slack);
    }

    /** Russian and its romanisation decline nouns, names and adjectives by their endings. */
    private static boolean inflected(String language) {
      return language.equals("ru") || language.startsWith("ru-");
    }

    /** A one-word reading without its final vowel, when at least four letters stay; else null. */
    private static @Nullable String stem(String reading) {
      int end = reading.length();
      while (end > 0 && "aeiouy".indexOf(reading.charAt(end - 1)) >= 0) {
        end--;
      }
      return end < reading.length() && end >= 4 ? reading.substring(0, end) : null;
    }

    void readBuiltIn() {
      for (String name : BUILT_IN) {
        try (InputStream in = Lexicon.class.getResourceAsStream(name)) {
          if (in == null) {
            throw new IllegalStateException("built-in list " + name + " is missing from the jar");
          }
          read(in, "built-in " + name);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read built-in list " + name, e);
        }
      }
    }

    void read(Path file) {
      try {
        if (Files.size(file) > MAX_FILE_BYTES) {
          throw new IllegalArgumentException("block list " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        try (InputStream in = Files.newInputStream(file)) {
          read(in, file.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read block list " + file, e);
      }
    }

    private void read(InputStream in, String source) throws IOException {
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
          String[] cols = line.split("\t", -1);
          Entry entry = cols.length == 2 ? classic(cols[1].strip(), source)
              : cols.length == 4 || cols.length == 5 ? entry(cols) : null;
          String term = cols[0].strip();
          if (entry == null || term.isEmpty() || term.length() > MAX_TERM_CHARS) {
            throw new IllegalArgumentException(source + " line " + number
                + ": expected 'term<TAB>CATEGORY' or 'term<TAB>KIND<TAB>LANGUAGE<TAB>SOURCE[<TAB>LICENCE]' with a"
                + " term of 1.." + MAX_TERM_CHARS + " characters and a category matching " + CATEGORY);
          }
          add(term, entry, source, number);
        }
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException(source + " is not valid UTF-8", e);
      }
    }

    private static @Nullable Entry classic(String category, String source) {
      return CATEGORY.matcher(category).matches()
          ? new Entry(category, null, Confidence.HIGH, 0, "und", source) : null;
    }

    private static @Nullable Entry entry(String[] cols) {
      String kind = cols[1].strip();
      String language = cols[2].strip();
      String source = cols[3].strip() + (cols.length == 5 ? " (" + cols[4].strip() + ")" : "");
      if (language.isEmpty() || source.isEmpty()) {
        return null;
      }
      if (kind.startsWith("NUMBER=")) {
        try {
          return new Entry(null, Concept.NUMBER, Confidence.HIGH, Integer.parseInt(kind.substring(7)), language, source);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      Confidence confidence = Confidence.HIGH;
      int slash = kind.indexOf('/');
      if (slash > 0) {
        try {
          confidence = Confidence.valueOf(kind.substring(slash + 1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          return null;
        }
        kind = kind.substring(0, slash);
      }
      for (Concept c : Concept.values()) {
        if (c.name().equals(kind) && c != Concept.NUMBER) {
          return new Entry(null, c, confidence, 0, language, source);
        }
      }
      return CATEGORY.matcher(kind).matches() ? new Entry(kind, null, confidence, 0, language, source) : null;
    }
  }
}
