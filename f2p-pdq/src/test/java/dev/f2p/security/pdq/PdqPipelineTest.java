package dev.f2p.security.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.security.pdq.PdqFixtures.CountingGuard;
import dev.f2p.security.pdq.PdqFixtures.FixedEngine;
import dev.f2p.security.pdq.PdqFixtures.RecordingListener;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The hash-list check inside the pipeline, through {@link ImageEditClient}. */
class PdqPipelineTest {
  private static final BufferedImage LISTED = PdqTestImages.read("reg-test-input/labelme-subset/q0122.jpg");
  private static final BufferedImage OTHER = PdqTestImages.read("reg-test-input/labelme-subset/q0291.jpg");

  private final FixedEngine engine = new FixedEngine();
  private final CountingGuard guard = new CountingGuard();
  private final RecordingListener events = new RecordingListener();

  private static PdqListCheck listing(BufferedImage... pictures) {
    List<PdqHashList.Entry> entries = java.util.Arrays.stream(pictures)
        .map(p -> new PdqHashList.Entry(PdqHasher.create().hash(p).hash(), "case-1")).toList();
    return PdqListCheck.builder().hashList(PdqHashList.of(entries)).build();
  }

  private ImageEditClient client(PdqListCheck check) {
    return PdqFixtures.client(engine, guard, events)
        .imageValidator(PdqHashListValidator.of(PdqFixtures.imageIo(), check))
        .outputPolicy(PdqHashListOutputPolicy.of(OutputPolicy.plainPng(), check))
        .build();
  }

  private SecurityEvent complete() {
    return events.events.stream().filter(e -> e.stage() == Stage.COMPLETE).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void aListedPictureIsRefusedBeforeTheResourceGuardIsAsked() {
    try (ImageEditClient client = client(listing(LISTED))) {
      EditResult result = client.edit(PdqFixtures.request(PdqFixtures.png(LISTED)).build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.IMAGE_REJECTED);
        assertThat(r.rejection().detail()).isEqualTo("HASH_LISTED");
        assertThat(r.rejection().message()).doesNotContain("case-1").doesNotContain("list");
      });
      assertThat(guard.asked).hasValue(0);
      assertThat(engine.calls).hasValue(0);
      String hash = PdqHasher.create().hash(LISTED).hash().toHex();
      assertThat(events.events).extracting(SecurityEvent::stage, SecurityEvent::outcome).containsExactly(
          org.assertj.core.groups.Tuple.tuple(Stage.IMAGE_VALIDATION, Outcome.REJECTED),
          org.assertj.core.groups.Tuple.tuple(Stage.COMPLETE, Outcome.REJECTED));
      assertThat(events.events).allSatisfy(e -> {
        assertThat(e.detail()).contains("HASH_LISTED");
        assertThat(e.attributes()).containsEntry("pdq.input", hash).containsEntry("pdq.input.match", hash)
            .containsEntry("pdq.input.match.distance", "0").containsKey("pdq.input.quality")
            .doesNotContainValue("case-1");
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"bridge-2-rotate-90.jpg", "bridge-3-rotate-180.jpg", "bridge-4-rotate-270.jpg",
      "bridge-5-flipx.jpg", "bridge-6-flipy.jpg", "bridge-7-flip-plus-1.jpg", "bridge-8-flip-minus-1.jpg"})
  void aRotatedOrFlippedCopyOfAListedPictureIsRefusedToo(String file) throws Exception {
    BufferedImage original = PdqTestImages.read("reg-test-input/dih/bridge-1-original.jpg");
    byte[] copy = Files.readAllBytes(PdqTestImages.dir().resolve("reg-test-input/dih/" + file));
    try (ImageEditClient client = client(listing(original))) {
      EditResult result = client.edit(PdqFixtures.request(copy).build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.rejection().detail()).isEqualTo("HASH_LISTED"));
      assertThat(guard.asked).hasValue(0);
    }
  }

  @ParameterizedTest
  @EnumSource(PdqDihedral.class)
  void everyOrientationOfAListedPictureIsRefusedWhateverItsSize(PdqDihedral transform) {
    BufferedImage copy = PdqHasherTest.transformed(LISTED, transform);
    try (ImageEditClient client = client(listing(LISTED))) {
      EditResult result = client.edit(PdqFixtures.request(PdqFixtures.png(copy)).build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class,
          r -> assertThat(r.rejection().detail()).isEqualTo("HASH_LISTED"));
      assertThat(events.events).allSatisfy(
          e -> assertThat(e.attributes()).containsEntry("pdq.input.match.distance", "0"));
    }
  }

  @Test
  void withoutDihedralMatchingAMirroredCopyIsNotRefused() {
    PdqHash listed = PdqHasher.create().hash(LISTED).hash();
    PdqListCheck plainOnly = PdqListCheck.builder()
        .hashList(PdqHashList.of(List.of(new PdqHashList.Entry(listed, "case-1")))).matchDihedral(false).build();
    try (ImageEditClient client = client(plainOnly)) {
      EditResult result = client.edit(
          PdqFixtures.request(PdqFixtures.png(PdqHasherTest.transformed(LISTED, PdqDihedral.FLIP_Y))).build());

      assertThat(result).isInstanceOf(EditResult.Success.class);
    }
  }

  @Test
  void anUnlistedPictureGoesThroughAndTheFinalEventCarriesBothFingerprints() {
    engine.output.set(OTHER);
    try (ImageEditClient client = client(listing(LISTED))) {
      EditResult result = client.edit(PdqFixtures.request(PdqFixtures.png(OTHER)).build());

      assertThat(result).isInstanceOf(EditResult.Success.class);
      assertThat(guard.asked).hasValue(1);
      assertThat(guard.held).hasValue(0);
      String hash = PdqHasher.create().hash(OTHER).hash().toHex();
      assertThat(complete().attributes()).containsEntry("pdq.input", hash).containsEntry("pdq.output", hash)
          .containsKeys("pdq.input.quality", "pdq.output.quality").doesNotContainKey("pdq.input.match")
          .containsEntry("test.decoded", "yes");
    }
  }

  @Test
  void aListedOutputIsRefusedAndTheLeaseReleased() {
    engine.output.set(LISTED);
    try (ImageEditClient client = client(listing(LISTED))) {
      EditResult result = client.edit(PdqFixtures.request(PdqFixtures.png(OTHER)).build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.IMAGE_REJECTED);
        assertThat(r.rejection().detail()).isEqualTo("HASH_LISTED");
      });
      assertThat(engine.calls).hasValue(1);
      assertThat(guard.held).hasValue(0);
      assertThat(events.events).filteredOn(e -> e.stage() == Stage.OUTPUT).singleElement()
          .satisfies(e -> assertThat(e.attributes()).containsEntry("pdq.output.match",
              PdqHasher.create().hash(LISTED).hash().toHex()));
    }
  }

  @Test
  void withoutAListEveryPictureIsFingerprintedAndNothingMoreRefused() {
    try (ImageEditClient client = client(PdqListCheck.fingerprintOnly())) {
      EditResult result = client.edit(PdqFixtures.request(PdqFixtures.png(LISTED)).build());

      assertThat(result).isInstanceOf(EditResult.Success.class);
      String hash = PdqHasher.create().hash(LISTED).hash().toHex();
      assertThat(complete().attributes()).containsEntry("pdq.input", hash).containsEntry("pdq.output", hash);
    }
  }

  @Test
  void theDelegatesRefusalPassesThroughUnhashed() {
    try (ImageEditClient client = client(listing(LISTED))) {
      EditResult result = client.edit(PdqFixtures.request(new byte[] {1, 2, 3, 4}).build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.IMAGE_REJECTED);
        assertThat(r.rejection().detail()).isEqualTo(ReasonCode.IMAGE_REJECTED.name());
      });
      assertThat(complete().attributes()).doesNotContainKey("pdq.input");
    }
  }

  @Test
  void aListThatThrowsRefusesInsteadOfLettingThrough() {
    PdqListCheck broken = PdqListCheck.builder().hashList(() -> {
      throw new IllegalStateException("list store down");
    }).build();
    try (ImageEditClient client = client(broken)) {
      EditResult result = client.edit(PdqFixtures.request(PdqFixtures.png(OTHER)).build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.IMAGE_REJECTED);
        assertThat(r.rejection().detail()).isEqualTo("FINGERPRINT_FAILED");
        assertThat(r.rejection().message()).doesNotContain("store");
      });
      assertThat(guard.asked).hasValue(0);
    }
  }

  @Test
  void aHeapThatRunsOutWhileHashingIsOverloadedNotARefusalOfThePicture() {
    // Issue 18: under memory pressure the hasher's OutOfMemoryError escaped as an internal error.
    PdqListCheck starved = PdqListCheck.builder().hashList(() -> {
      throw new OutOfMemoryError("Java heap space");
    }).build();
    try (ImageEditClient client = client(starved)) {
      EditResult result = client.edit(PdqFixtures.request(PdqFixtures.png(OTHER)).build());

      assertThat(result).isInstanceOfSatisfying(EditResult.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(ReasonCode.OVERLOADED);
        assertThat(r.rejection().detail()).isEqualTo("FINGERPRINT_BUSY");
        assertThat(r.rejection().retryAfter()).contains(java.time.Duration.ofSeconds(1));
      });
      assertThat(guard.asked).hasValue(0);
    }
  }
}
