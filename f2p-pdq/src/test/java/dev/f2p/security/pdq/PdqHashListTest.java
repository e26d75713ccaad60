package dev.f2p.security.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PdqHashListTest {
  private static final String HASH = "54a977c221d14c1c43ba5e6e21d4a13989a3553f1462611cbb85fda7be83b677";

  static PdqHash random(SplittableRandom rng) {
    return PdqHash.ofWords(rng.nextLong(), rng.nextLong(), rng.nextLong(), rng.nextLong());
  }

  /** {@code hash} with exactly {@code bits} distinct bits flipped. */
  static PdqHash flip(PdqHash hash, int bits, SplittableRandom rng) {
    long[] w = {hash.word(0), hash.word(1), hash.word(2), hash.word(3)};
    int flipped = 0;
    while (flipped < bits) {
      int k = rng.nextInt(256);
      long mask = 1L << (k & 63);
      if ((w[k >>> 6] & mask) == (hash.word(k >>> 6) & mask)) {
        w[k >>> 6] ^= mask;
        flipped++;
      }
    }
    return PdqHash.ofWords(w[0], w[1], w[2], w[3]);
  }

  /** Random hashes plus, for each query, near copies planted at every distance 0..40. */
  private static final class Planted {
    final List<PdqHashList.Entry> entries = new ArrayList<>();
    final List<PdqHash> queries = new ArrayList<>();

    Planted(long seed, int randomEntries, int queries) {
      SplittableRandom rng = new SplittableRandom(seed);
      for (int i = 0; i < randomEntries; i++) {
        entries.add(new PdqHashList.Entry(random(rng), "random-" + i));
      }
      for (int q = 0; q < queries; q++) {
        PdqHash query = random(rng);
        this.queries.add(query);
        for (int d = 0; d <= 40; d++) {
          entries.add(new PdqHashList.Entry(flip(query, d, rng), "q" + q + "-d" + d));
        }
      }
    }
  }

  private static List<PdqHashList.Match> scan(List<PdqHashList.Entry> entries, PdqHash query, int maxDistance) {
    return entries.stream().filter(e -> e.hash().distance(query) <= maxDistance)
        .map(e -> new PdqHashList.Match(e.hash(), e.label(), e.hash().distance(query)))
        .sorted(Comparator.comparingInt(PdqHashList.Match::distance).thenComparing(PdqHashList.Match::label))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 47, 48, 63})
  void multiIndexSearchFindsExactlyWhatALinearScanFinds(int maxDistance) {
    Planted planted = new Planted(maxDistance, 20_000, 20);
    PdqHashList indexed = PdqHashList.of(planted.entries, 1);

    for (PdqHash query : planted.queries) {
      List<PdqHashList.Match> found = new ArrayList<>(indexed.findAll(query, maxDistance));
      found.sort(Comparator.comparingInt(PdqHashList.Match::distance).thenComparing(PdqHashList.Match::label));

      assertThat(found).isEqualTo(scan(planted.entries, query, maxDistance));
      assertThat(found).extracting(PdqHashList.Match::distance).doesNotHaveDuplicates()
          .hasSize(Math.min(maxDistance, 40) + 1);
    }
  }

  @Test
  void plantedNearDuplicatesWithin31AreFoundAndThoseBeyondAreNot() {
    Planted planted = new Planted(7, 50_000, 50);
    PdqHashList indexed = PdqHashList.of(planted.entries, 1);

    for (int q = 0; q < planted.queries.size(); q++) {
      PdqHash query = planted.queries.get(q);
      assertThat(indexed.findNearest(query, 31)).get().extracting(PdqHashList.Match::distance).isEqualTo(0);
      List<PdqHashList.Match> all = indexed.findAll(query, 31);
      assertThat(all).extracting(PdqHashList.Match::label).containsExactlyInAnyOrderElementsOf(
          java.util.stream.IntStream.rangeClosed(0, 31).mapToObj(d -> "q" + planted.queries.indexOf(query) + "-d" + d)
              .toList());
      for (int d = 32; d <= 40; d++) {
        PdqHash far = indexed.get(50_000 + q * 41 + d).hash();
        assertThat(far.distance(query)).isEqualTo(d);
      }
    }
  }

  @Test
  void findNearestPrefersTheNearestThenTheFirstListed() {
    SplittableRandom rng = new SplittableRandom(3);
    PdqHash query = random(rng);
    PdqHash atFive = flip(query, 5, rng);
    PdqHash atTwo = flip(query, 2, rng);
    PdqHashList list = PdqHashList.of(List.of(new PdqHashList.Entry(atFive, "five"),
        new PdqHashList.Entry(atTwo, "two"), new PdqHashList.Entry(atTwo, "two-again")));

    assertThat(list.findNearest(query, 31)).contains(new PdqHashList.Match(atTwo, "two", 2));
    assertThat(list.findNearest(query, 1)).isEmpty();
  }

  @Test
  void smallListsAreScannedAndAgreeWithTheIndex() {
    Planted planted = new Planted(11, 500, 5);
    PdqHashList scanned = PdqHashList.of(planted.entries);
    PdqHashList indexed = PdqHashList.of(planted.entries, 1);

    for (PdqHash query : planted.queries) {
      assertThat(scanned.findNearest(query, 31)).isEqualTo(indexed.findNearest(query, 31));
      assertThat(scanned.findAll(query, 31)).hasSameElementsAs(indexed.findAll(query, 31));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 64, 256})
  void distancesOutsideTheSearchableRangeAreRefused(int maxDistance) {
    assertThatThrownBy(() -> PdqHashList.empty().findNearest(PdqHash.fromHex(HASH), maxDistance))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(maxDistance));
  }

  @Test
  void aFileLoadsWithCommentsBlankLinesCrlfAndMissingLabels(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("list.tsv");
    Files.writeString(file, "\uFEFF# known pictures\r\n" + HASH + "\tcase-17\r\n\r\n" + "f".repeat(64) + "\n"
        + "0".repeat(64) + "\t  spaced label  ");

    PdqHashList list = PdqHashList.load(file);

    assertThat(list.size()).isEqualTo(3);
    assertThat(list.get(0)).isEqualTo(new PdqHashList.Entry(PdqHash.fromHex(HASH), "case-17"));
    assertThat(list.get(1).label()).isEmpty();
    assertThat(list.get(2).label()).isEqualTo("spaced label");
  }

  static Stream<Arguments> badFiles() {
    byte[] latin1 = (HASH + "\tcaf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
    return Stream.of(
        Arguments.of("hash too short", (HASH.substring(1) + "\tx\n").getBytes(StandardCharsets.UTF_8),
            PdqHashListException.Kind.BAD_HASH, 1),
        Arguments.of("hash not hex", ("# c\n" + "z".repeat(64) + "\tx\n").getBytes(StandardCharsets.UTF_8),
            PdqHashListException.Kind.BAD_HASH, 2),
        Arguments.of("separator not a tab", (HASH + " x\n").getBytes(StandardCharsets.UTF_8),
            PdqHashListException.Kind.BAD_HASH, 1),
        Arguments.of("label with control character", (HASH + "\tok\n" + HASH + "\ta\u0007b\n")
            .getBytes(StandardCharsets.UTF_8), PdqHashListException.Kind.BAD_LABEL, 2),
        Arguments.of("label too long", (HASH + "\t" + "x".repeat(257) + "\n").getBytes(StandardCharsets.UTF_8),
            PdqHashListException.Kind.BAD_LABEL, 1),
        Arguments.of("line too long", (HASH + "\n" + "0".repeat(5000)).getBytes(StandardCharsets.UTF_8),
            PdqHashListException.Kind.LINE_TOO_LONG, 2),
        Arguments.of("not UTF-8", latin1, PdqHashListException.Kind.ENCODING, 1),
        Arguments.of("too many entries", (HASH + "\n").repeat(4).getBytes(StandardCharsets.UTF_8),
            PdqHashListException.Kind.TOO_MANY_ENTRIES, 4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void aBadLineFailsTheLoadWithItsKindAndLineNumber(String what, byte[] content, PdqHashListException.Kind kind,
      int line) {
    assertThatThrownBy(() -> PdqHashList.parse(new ByteArrayInputStream(content), "list.tsv", 3))
        .isInstanceOfSatisfying(PdqHashListException.class, e -> {
          assertThat(e.kind()).isEqualTo(kind);
          assertThat(e.line()).isEqualTo(line);
          assertThat(e.getMessage()).startsWith("list.tsv line " + line + ": ").doesNotContain("caf");
        });
  }

  @Test
  void aMissingFileIsAnIoError(@TempDir Path dir) {
    assertThatThrownBy(() -> PdqHashList.load(dir.resolve("absent.tsv")))
        .isInstanceOfSatisfying(PdqHashListException.class,
            e -> assertThat(e.kind()).isEqualTo(PdqHashListException.Kind.IO));
  }
}
