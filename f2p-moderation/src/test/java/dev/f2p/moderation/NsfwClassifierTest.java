package dev.f2p.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NsfwClassifierTest {
  private static final Path MODEL = Path.of("../models/nsfwjs-mobilenet-v2/nsfwjs-mobilenet-v2.pt");

  @TempDir
  Path dir;

  @Test
  void thePortraitIsNeutralAndEachCraftedPictureIsItsTarget() throws Exception {
    NsfwClassifier classifier = SharedClassifier.get();

    NsfwScores portrait = classifier.classify(TestImages.intRgb(TestImages.shared(TestImages.PORTRAIT)));
    assertThat(portrait.top()).isEqualTo(NsfwClass.NEUTRAL);
    assertThat(portrait.probability(NsfwClass.NEUTRAL)).isGreaterThan(0.9f);
    assertThat(classifier.classify(TestImages.crafted("crafted-porn.png")).probability(NsfwClass.PORN)).isGreaterThan(0.95f);
    assertThat(classifier.classify(TestImages.crafted("crafted-hentai.png")).probability(NsfwClass.HENTAI)).isGreaterThan(0.95f);
    assertThat(classifier.classify(TestImages.crafted("crafted-sexy.png")).probability(NsfwClass.SEXY)).isGreaterThan(0.95f);
  }

  @Test
  void theCommittedModelIsTheOneTheClassifierPins() throws Exception {
    String sums = Files.readString(MODEL.resolveSibling("SHA256SUMS"));
    String actual = HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(MODEL)));

    assertThat(sums).isEqualTo(NsfwClassifier.BUILT_IN_SHA256 + "  nsfwjs-mobilenet-v2.pt\n");
    assertThat(actual).isEqualTo(NsfwClassifier.BUILT_IN_SHA256);
  }

  @Test
  void aModelFileWithOneByteChangedIsRefusedBeforeItIsParsed() throws Exception {
    byte[] bytes = Files.readAllBytes(MODEL);
    bytes[bytes.length / 2] ^= 1;
    Path tampered = Files.write(dir.resolve("tampered.pt"), bytes);

    assertThatThrownBy(() -> NsfwClassifier.builder().model(tampered, NsfwClassifier.BUILT_IN_SHA256).build())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tampered.pt has SHA-256 ")
        .hasMessageEndingWith("expected " + NsfwClassifier.BUILT_IN_SHA256 + "; refusing to load it");
  }

  @Test
  void theRightFileUnderAnotherDigestIsRefused() {
    String other = "0".repeat(64);
    assertThatThrownBy(() -> NsfwClassifier.builder().model(MODEL, other).build())
        .isInstanceOf(IOException.class).hasMessageContaining("expected " + other);
  }

  @Test
  void anotherTorchScriptModelIsRefusedEvenUnderItsOwnDigest() throws Exception {
    // A real TorchScript file with the right digest for itself, but not a five-class classifier of 224x224.
    Path engineModel = Path.of("../models/single-pass/model.pt");
    String sha = HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(engineModel)));

    assertThatThrownBy(() -> NsfwClassifier.builder().model(engineModel, sha).predictors(1).build())
        .isInstanceOf(IOException.class).hasMessageContaining("does not load as the nsfwjs classifier");
  }

  @Test
  void aFileThatIsNoModelIsRefused() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pt"), "not a zip");
    String sha = HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(junk)));

    assertThatThrownBy(() -> NsfwClassifier.builder().model(junk, sha).predictors(1).build())
        .isInstanceOf(IOException.class).hasMessageContaining("does not load as the nsfwjs classifier");
  }

  @Test
  void badSettingsAreRefusedWithTheValue() {
    NsfwClassifier.Builder b = NsfwClassifier.builder();
    assertThatThrownBy(() -> b.predictors(0)).hasMessage("predictors must be 1..64: 0");
    assertThatThrownBy(() -> b.predictors(65)).hasMessage("predictors must be 1..64: 65");
    assertThatThrownBy(() -> b.maxWait(Duration.ZERO)).hasMessage("maxWait must be 1ms..10m: PT0S");
    assertThatThrownBy(() -> b.model(MODEL, "abc")).hasMessage("model sha256 must be 64 hex digits (SHA-256): abc");
  }

  @Test
  void concurrentCallersShareThePoolAndGetTheSameAnswers() throws Exception {
    NsfwClassifier classifier = SharedClassifier.get();
    List<BufferedImage> pictures = List.of(TestImages.crafted("crafted-porn.png"),
        TestImages.shared("non-faces/coffee.png"), TestImages.crafted("crafted-sexy.png"));
    List<NsfwScores> expected = new ArrayList<>();
    for (BufferedImage p : pictures) {
      expected.add(classifier.classify(p));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<NsfwScores>> answers = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        BufferedImage p = pictures.get(i % pictures.size());
        answers.add(pool.submit(() -> classifier.classify(p)));
      }
      for (int i = 0; i < answers.size(); i++) {
        assertThat(answers.get(i).get()).isEqualTo(expected.get(i % pictures.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyCallFreesItsNativeArrays() throws Exception {
    NsfwClassifier classifier = SharedClassifier.get();
    BufferedImage portrait = TestImages.shared("non-faces/chelsea.png");
    classifier.classify(portrait);
    try (NDManager probe = NDManager.newBaseManager()) {
      NDManager root = probe.getParentManager();
      long before = root.getManagedArrays().size();
      for (int i = 0; i < 5; i++) {
        classifier.classify(portrait);
      }
      assertThat(root.getManagedArrays()).hasSize((int) before);
    }
  }

  @Test
  void aClosedClassifierRefusesToClassifyAndClosingTwiceIsHarmless() throws Exception {
    NsfwClassifier classifier = NsfwClassifier.builder().predictors(1).build();
    classifier.close();
    classifier.close();

    assertThatThrownBy(() -> classifier.classify(TestImages.crafted("crafted-porn.png")))
        .isInstanceOf(NsfwClassificationException.class).hasMessage("the NSFW classifier is closed");
  }
}
