package dev.f2p.security.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingPdqHashListTest {
  private static final String A = "54a977c221d14c1c43ba5e6e21d4a13989a3553f1462611cbb85fda7be83b677";
  private static final String B = "992d44af36d69e6ca6b812585928bac11def254ef5398c6d07466c9abcc65b92";

  @TempDir Path dir;

  /** Replaces the file the safe way: written aside, then renamed over. */
  private Path write(String content) throws Exception {
    Path aside = Files.createTempFile(dir, "list", ".tmp");
    Files.writeString(aside, content);
    return Files.move(aside, dir.resolve("list.tsv"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aReloadSwapsInTheNewList() throws Exception {
    Path file = write(A + "\tfirst\n");
    try (ReloadingPdqHashList list = ReloadingPdqHashList.open(file, 10)) {
      PdqHashList before = list.get();
      write(A + "\tfirst\n" + B + "\tsecond\n");

      assertThat(list.reloadIfChanged()).isTrue();

      assertThat(before.size()).isEqualTo(1);
      assertThat(list.get().size()).isEqualTo(2);
      assertThat(list.get().findNearest(PdqHash.fromHex(B), 0)).isPresent();
    }
  }

  @Test
  void readersDuringReloadsSeeOneWholeListOrTheOtherNeverAMix() throws Exception {
    // Two lists of 3000 entries (indexed): every reader's search must answer wholly from one of them.
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    List<PdqHash> hashes = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      PdqHash h = PdqHash.ofWords(rng.nextLong(), rng.nextLong(), rng.nextLong(), rng.nextLong());
      hashes.add(h);
      first.append(h.toHex()).append("\tfirst\n");
      second.append(h.toHex()).append("\tsecond\n");
    }
    Path file = write(first.toString());
    try (ReloadingPdqHashList list = ReloadingPdqHashList.open(file, 10_000)) {
      ExecutorService readers = Executors.newFixedThreadPool(3);
      AtomicBoolean done = new AtomicBoolean();
      List<Future<Integer>> results = new java.util.ArrayList<>();
      for (int r = 0; r < 3; r++) {
        results.add(readers.submit(() -> {
          int searches = 0;
          while (!done.get() || searches == 0) {
            PdqHashList current = list.get();
            String label = current.get(0).label();
            for (int i = 0; i < 50; i++) {
              assertThat(current.findNearest(hashes.get(i * 60), 0)).get()
                  .extracting(PdqHashList.Match::label).isEqualTo(label);
              searches++;
            }
          }
          return searches;
        }));
      }
      for (int i = 0; i < 20; i++) {
        write(i % 2 == 0 ? second.toString() : first.toString());
        list.reload();
      }
      done.set(true);
      readers.shutdown();
      for (Future<Integer> f : results) {
        assertThat(f.get(1, TimeUnit.MINUTES)).isPositive();
      }
      assertThat(readers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
  }

  @Test
  void anUnchangedFileIsNotReloaded() throws Exception {
    Path file = write(A + "\n");
    try (ReloadingPdqHashList list = ReloadingPdqHashList.open(file, 10)) {
      PdqHashList loaded = list.get();

      assertThat(list.reloadIfChanged()).isFalse();
      assertThat(list.get()).isSameAs(loaded);
    }
  }

  @Test
  void aBrokenFileKeepsThePreviousList() throws Exception {
    Path file = write(A + "\tfirst\n");
    try (ReloadingPdqHashList list = ReloadingPdqHashList.open(file, 10)) {
      PdqHashList loaded = list.get();
      write(A + "\tfirst\n" + "not a hash\n");

      assertThatThrownBy(list::reloadIfChanged).isInstanceOfSatisfying(PdqHashListException.class,
          e -> assertThat(e.line()).isEqualTo(2));
      assertThat(list.get()).isSameAs(loaded);

      Files.delete(file);
      assertThatThrownBy(list::reload).isInstanceOf(PdqHashListException.class);
      assertThat(list.get()).isSameAs(loaded);
    }
  }

  @Test
  void aFileThatCannotLoadAtFirstFailsTheOpen() throws Exception {
    Path file = write("nonsense\n");

    assertThatThrownBy(() -> ReloadingPdqHashList.open(file, 10)).isInstanceOf(PdqHashListException.class);
  }

  @Test
  void pollingStopsWhenClosed() throws Exception {
    Path file = write(A + "\n");
    ReloadingPdqHashList list = ReloadingPdqHashList.open(file, 10, Duration.ofMinutes(1));
    assertThat(list.isPolling()).isTrue();

    list.close();
    list.close();

    assertThat(list.isPolling()).isFalse();
    assertThat(list.get().size()).isEqualTo(1);
  }

  @Test
  void pollIntervalsUnderOneSecondAreRefused() throws Exception {
    Path file = write(A + "\n");

    assertThatThrownBy(() -> ReloadingPdqHashList.open(file, 10, Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.01S");
  }
}
