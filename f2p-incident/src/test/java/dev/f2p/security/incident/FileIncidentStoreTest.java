package dev.f2p.security.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIncidentStoreTest {
  @TempDir Path dir;
  private final TestClock clock = new TestClock();

  private FileIncidentStore open() throws IOException {
    return FileIncidentStore.open(dir.resolve("incidents.journal"), clock, 1000);
  }

  private void commitSome(FileIncidentStore store) {
    store.apply(new IncidentChange.Restrict(IncidentTarget.KEY, "f2p_alice", Instant.MAX));
    store.apply(new IncidentChange.Restrict(IncidentTarget.PRINCIPAL, "mallory", clock.instant().plusSeconds(3600)));
    store.apply(new IncidentChange.Restrict(IncidentTarget.ADDRESS, "198.51.100.9", clock.instant().plusSeconds(900)));
    store.apply(new IncidentChange.Restrict(IncidentTarget.PRINCIPAL, "eve", clock.instant().plusSeconds(60)));
    store.apply(new IncidentChange.Lift(IncidentTarget.PRINCIPAL, "eve"));
    store.apply(new IncidentChange.Lockdown(LockdownMode.ADMINS_ONLY));
  }

  private void assertCommitted(IncidentStore store) {
    Instant now = clock.instant();
    assertThat(store.restrictedUntil(IncidentTarget.KEY, "f2p_alice", now)).contains(Instant.MAX);
    assertThat(store.restrictedUntil(IncidentTarget.PRINCIPAL, "mallory", now)).isPresent();
    assertThat(store.restrictedUntil(IncidentTarget.ADDRESS, "198.51.100.9", now)).isPresent();
    assertThat(store.restrictedUntil(IncidentTarget.PRINCIPAL, "eve", now)).isEmpty();
    assertThat(store.lockdown()).isEqualTo(LockdownMode.ADMINS_ONLY);
  }

  @Test
  void stateSurvivesARestart() throws IOException {
    committedJournal();
    try (FileIncidentStore restarted = open()) {
      assertCommitted(restarted);
      clock.advance(Duration.ofMinutes(20));
      assertThat(restarted.restrictedUntil(IncidentTarget.ADDRESS, "198.51.100.9", clock.instant())).isEmpty();
      assertThat(restarted.restrictedUntil(IncidentTarget.PRINCIPAL, "mallory", clock.instant())).isPresent();
    }
  }

  /** A closed journal holding {@link #commitSome}'s changes. */
  private Path committedJournal() throws IOException {
    try (FileIncidentStore store = open()) {
      commitSome(store);
      return store.path();
    }
  }

  @Test
  void aTornLastRecordLosesNothingThatWasCommitted() throws IOException {
    Path path = committedJournal();
    long committed;
    try (FileIncidentStore store = open()) {
      committed = Files.size(path);
      store.apply(new IncidentChange.Restrict(IncidentTarget.PRINCIPAL, "torn", Instant.MAX));
    }
    byte[] full = Files.readAllBytes(path);
    assertThat(full.length).isGreaterThan((int) committed);
    // The process died while writing the last record: every cut inside that record.
    for (int cut = (int) committed + 1; cut < full.length; cut++) {
      Path copy = dir.resolve("copy-" + cut);
      Files.write(copy, java.util.Arrays.copyOf(full, cut));
      try (FileIncidentStore restarted = FileIncidentStore.open(copy, clock, 1000)) {
        assertCommitted(restarted);
        assertThat(restarted.restrictedUntil(IncidentTarget.PRINCIPAL, "torn", clock.instant())).isEmpty();
        restarted.apply(new IncidentChange.Restrict(IncidentTarget.PRINCIPAL, "later", Instant.MAX));
      }
      try (FileIncidentStore again = FileIncidentStore.open(copy, clock, 1000)) {
        assertCommitted(again);
        assertThat(again.restrictedUntil(IncidentTarget.PRINCIPAL, "later", clock.instant())).isPresent();
      }
    }
  }

  @Test
  void aRecordCutMidLineWithItsNewlineFailsItsChecksumAndOnlyItIsDropped() throws IOException {
    Path path = committedJournal();
    String good = Files.readString(path);
    String record = FileIncidentStore.encode(new IncidentChange.Restrict(IncidentTarget.PRINCIPAL, "zed", Instant.MAX));
    // A torn write whose page happened to end in a newline: the checksum catches it.
    Files.writeString(path, good + "12345678 " + record.substring(0, record.length() / 2) + "\n");
    try (FileIncidentStore restarted = open()) {
      assertCommitted(restarted);
      assertThat(restarted.restrictedUntil(IncidentTarget.PRINCIPAL, "zed", clock.instant())).isEmpty();
    }
  }

  @Test
  void anInterruptedCompactionLeavesTheJournalIntact() throws IOException {
    committedJournal();
    // A temp file left half-written by a crash during compaction is never read.
    Files.writeString(dir.resolve("incidents.journal.tmp"), "# f2p incident journal v1\n0000");
    try (FileIncidentStore restarted = open()) {
      assertCommitted(restarted);
    }
  }

  @Test
  void theJournalIsCompactedAndEachLineIsChecksummed() throws IOException {
    try (FileIncidentStore store = open()) {
      for (int i = 0; i < 1500; i++) {
        store.apply(new IncidentChange.Restrict(IncidentTarget.ADDRESS, "10.0.0.1", clock.instant().plusSeconds(i + 1)));
      }
      List<String> lines = Files.readAllLines(store.path());
      assertThat(lines.size()).as("compaction bounds the file").isLessThan(1100);
      assertThat(lines.subList(1, lines.size())).allMatch(l -> FileIncidentStore.decode(l) != null);
    }
  }

  @Test
  void changeListenersHearEveryChangeAndTheStoreIsBounded() throws IOException {
    List<IncidentChange> heard = new ArrayList<>();
    try (FileIncidentStore store = FileIncidentStore.open(dir.resolve("small"), clock, 2)) {
      store.addChangeListener(heard::add);
      store.apply(new IncidentChange.Restrict(IncidentTarget.ADDRESS, "a", clock.instant().plusSeconds(5)));
      store.apply(new IncidentChange.Restrict(IncidentTarget.ADDRESS, "b", Instant.MAX));
      assertThatThrownBy(() -> store.apply(new IncidentChange.Restrict(IncidentTarget.ADDRESS, "c", Instant.MAX)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
      clock.advance(Duration.ofSeconds(6));
      store.apply(new IncidentChange.Restrict(IncidentTarget.ADDRESS, "c", Instant.MAX));
      assertThat(heard).hasSize(3);
      store.close();
      assertThatThrownBy(() -> store.apply(new IncidentChange.Lockdown(LockdownMode.OFF)))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void subjectsAreBoundedAndPrintable() {
    assertThatThrownBy(() -> new IncidentChange.Lift(IncidentTarget.ADDRESS, "a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IncidentChange.Lift(IncidentTarget.ADDRESS, "x".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
