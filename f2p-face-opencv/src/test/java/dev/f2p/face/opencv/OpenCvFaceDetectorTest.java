package dev.f2p.face.opencv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.Face;
import dev.f2p.core.spi.FaceDetector;
import dev.f2p.core.spi.FaceDetectorProvider;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.security.image.StandardImageValidator;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenCvFaceDetectorTest {
  static final Principal ALICE = new Principal("alice", Set.of(Role.USER), "key-1");
  static final OpenCvFaceDetector DETECTOR = OpenCvFaceDetector.builder().poolSize(2).build();

  @AfterAll
  static void close() {
    DETECTOR.close();
  }

  static Path shared(String... parts) {
    return Path.of(System.getProperty("f2p.shared.dir", "../../shared"), "images").resolve(Path.of("", parts));
  }

  static BufferedImage read(Path p) throws IOException {
    return ImageIO.read(p.toFile());
  }

  static Stream<Path> faces() throws IOException {
    return list("faces");
  }

  static Stream<Path> nonFaces() throws IOException {
    return list("non-faces");
  }

  private static Stream<Path> list(String dir) throws IOException {
    try (Stream<Path> s = Files.list(shared(dir))) {
      return s.sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faces")
  void findsExactlyOneFaceInEachFacePhoto(Path file) throws IOException {
    BufferedImage img = read(file);
    List<Face> faces = DETECTOR.detectFaces(img);
    assertThat(faces).hasSize(1);
    Face f = faces.get(0);
    assertThat(f.x() + f.width()).isLessThanOrEqualTo(img.getWidth());
    assertThat(f.y() + f.height()).isLessThanOrEqualTo(img.getHeight());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonFaces")
  void findsNoFaceInOtherPhotos(Path file) throws IOException {
    assertThat(DETECTOR.detectFaces(read(file))).isEmpty();
  }

  @Test
  void largeImagesAreDownscaledAndBoxesScaledBack() throws IOException {
    BufferedImage face = read(shared("faces", "astronaut-face.png"));
    BufferedImage big = new BufferedImage(face.getWidth() * 16, face.getHeight() * 16, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = big.createGraphics();
    g.drawImage(face, 0, 0, big.getWidth(), big.getHeight(), null);
    g.dispose();
    List<Face> small = DETECTOR.detectFaces(face);
    List<Face> large = DETECTOR.detectFaces(big);
    assertThat(large).hasSize(1);
    assertThat(large.get(0).shareOf(big.getWidth(), big.getHeight()))
        .isCloseTo(small.get(0).shareOf(face.getWidth(), face.getHeight()), org.assertj.core.data.Offset.offset(0.1));
  }

  @Test
  void isSafeToShareAcrossThreads() throws Exception {
    BufferedImage face = read(shared("faces", "astronaut-face.png"));
    BufferedImage none = read(shared("non-faces", "coffee.png"));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        BufferedImage img = i % 2 == 0 ? face : none;
        results.add(pool.submit(() -> DETECTOR.detectFaces(img).size()));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? 1 : 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedDetectorThrowsSoTheValidatorFailsClosed() {
    OpenCvFaceDetector d = OpenCvFaceDetector.builder().poolSize(1).build();
    d.close();
    assertThatThrownBy(() -> d.detectFaces(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builderRefusesBadValues() {
    assertThatThrownBy(() -> OpenCvFaceDetector.builder().scaleFactor(1.0)).hasMessageContaining("1.0");
    assertThatThrownBy(() -> OpenCvFaceDetector.builder().poolSize(0)).hasMessageContaining("0");
  }

  // --- with the validator: the one-cropped-face check end to end ---

  static final ImageValidator VALIDATOR = StandardImageValidator.builder().faceDetector(DETECTOR).build();

  static String validate(ImageValidator v, Path file) throws IOException {
    Decision<ValidatedImage> d = v.validate(Files.readAllBytes(file), ALICE);
    return d instanceof Decision.Rejected<ValidatedImage> r ? r.rejection().detail() : "ACCEPTED";
  }

  @Test
  void aCroppedFacePassesTheValidator() throws IOException {
    assertThat(validate(VALIDATOR, shared("faces", "astronaut-face.png"))).isEqualTo("ACCEPTED");
    assertThat(validate(VALIDATOR, shared("faces", "astronaut-face.jpg"))).isEqualTo("ACCEPTED");
  }

  @Test
  void aFaceTooSmallAShareOfTheFrameFails() throws IOException {
    assertThat(validate(VALIDATOR, shared("faces", "astronaut.png"))).isEqualTo("FACE_TOO_SMALL");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonFaces")
  void photosWithoutAFaceFail(Path file) throws IOException {
    assertThat(validate(VALIDATOR, file)).isEqualTo("NO_FACE");
  }

  @Test
  void theValidatorFindsTheDetectorThroughServiceLoader() throws Exception {
    try (StandardImageValidator found = StandardImageValidator.create()) {
      assertThat(found.checksFaces()).isTrue();
      assertThat(validate(found, shared("faces", "astronaut.png"))).isEqualTo("FACE_TOO_SMALL");
    }
    FaceDetector byName = PolicyProviders.create(FaceDetectorProvider.class, "opencv",
        PolicySettings.of(Map.of("max-side", "512", "pool-size", "1")));
    assertThat(byName).isInstanceOf(OpenCvFaceDetector.class);
    ((OpenCvFaceDetector) byName).close();
    ImageValidator configured = PolicyProviders.create(ImageValidatorProvider.class, "standard",
        PolicySettings.of(Map.of("face-detector.type", "opencv", "face-detector.pool-size", "1", "min-face-share", "0.5")));
    assertThat(validate(configured, shared("faces", "astronaut-face.png"))).isEqualTo("FACE_TOO_SMALL");
    ((AutoCloseable) configured).close();
  }
}
