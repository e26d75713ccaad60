package dev.f2p.security.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PdqHasherTest {
  private static final String ORIGINAL = "bridge-mods/aaa-orig.jpg";
  private final PdqHasher hasher = PdqHasher.create();

  static Stream<Arguments> referenceVectors() {
    return PdqTestImages.expected().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceVectors")
  void everyReferenceImageHashesWithin16OfItsReferenceHash(String path, PdqHash reference) {
    PdqFingerprint fingerprint = hasher.hash(PdqTestImages.read(path));

    assertThat(fingerprint.hash().distance(reference)).as(path).isLessThanOrEqualTo(16);
  }

  @ParameterizedTest
  @ValueSource(strings = {"blur-a-lot.jpg", "high-contrast.jpg", "sharpen-a-lot.jpg", "shrink-a-lot.jpg",
      "square-256x256.jpg"})
  void nearDuplicatesLieWithin31OfTheOriginal(String modified) {
    PdqHash original = hasher.hash(PdqTestImages.read(ORIGINAL)).hash();

    PdqHash near = hasher.hash(PdqTestImages.read("bridge-mods/" + modified)).hash();

    assertThat(near.distance(original)).as(modified).isLessThanOrEqualTo(31);
  }

  @Test
  void unrelatedPicturesLieFarApart() {
    PdqHash bridge = hasher.hash(PdqTestImages.read(ORIGINAL)).hash();

    for (String other : new String[] {"reg-test-input/labelme-subset/q0122.jpg", "misc-images/c.png"}) {
      assertThat(hasher.hash(PdqTestImages.read(other)).hash().distance(bridge)).as(other).isGreaterThan(64);
    }
  }

  static Stream<Arguments> dihedralForms() {
    return Stream.of(
        Arguments.of(PdqDihedral.ORIGINAL, "bridge-1-original.jpg"),
        Arguments.of(PdqDihedral.ROTATE_90, "bridge-2-rotate-90.jpg"),
        Arguments.of(PdqDihedral.ROTATE_180, "bridge-3-rotate-180.jpg"),
        Arguments.of(PdqDihedral.ROTATE_270, "bridge-4-rotate-270.jpg"),
        Arguments.of(PdqDihedral.FLIP_X, "bridge-5-flipx.jpg"),
        Arguments.of(PdqDihedral.FLIP_Y, "bridge-6-flipy.jpg"),
        Arguments.of(PdqDihedral.FLIP_PLUS_1, "bridge-7-flip-plus-1.jpg"),
        Arguments.of(PdqDihedral.FLIP_MINUS_1, "bridge-8-flip-minus-1.jpg"));
  }

  /**
   * Each transformed file is matched (within PDQ's usual match distance, 31) by the hash derived for its
   * transform from the original's DCT, and that derived hash is the nearest of the eight. Not bit-exact:
   * the files are separately JPEG-encoded and PDQ's sampling grid is not mirror-symmetric.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dihedralForms")
  void theDihedralHashesOfOnePictureMatchEachTransformedFile(PdqDihedral transform, String file) {
    PdqDihedralHashes fromOriginal = hasher.dihedral(PdqTestImages.read("reg-test-input/dih/bridge-1-original.jpg"));
    PdqHash transformed = hasher.hash(PdqTestImages.read("reg-test-input/dih/" + file)).hash();
    PdqHash reference = PdqTestImages.expected().get("reg-test-input/dih/" + file);

    PdqHash derived = fromOriginal.get(transform);

    assertThat(derived.distance(transformed)).isLessThanOrEqualTo(31);
    assertThat(derived.distance(reference)).isLessThanOrEqualTo(31);
    for (PdqDihedral other : PdqDihedral.values()) {
      if (other != transform) {
        assertThat(fromOriginal.get(other).distance(transformed)).as(other.name()).isGreaterThan(64);
      }
    }
  }

  /** A rotation or flip of a picture, made with exact pixel moves (ROTATE_90 turns counter-clockwise). */
  static BufferedImage transformed(BufferedImage source, PdqDihedral transform) {
    int w = source.getWidth();
    int h = source.getHeight();
    boolean swap = transform.transpose;
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] to = switch (transform) {
          case ORIGINAL -> new int[] {x, y};
          case ROTATE_90 -> new int[] {y, w - 1 - x};
          case ROTATE_180 -> new int[] {w - 1 - x, h - 1 - y};
          case ROTATE_270 -> new int[] {h - 1 - y, x};
          case FLIP_X -> new int[] {x, h - 1 - y};
          case FLIP_Y -> new int[] {w - 1 - x, y};
          case FLIP_PLUS_1 -> new int[] {y, x};
          case FLIP_MINUS_1 -> new int[] {h - 1 - y, w - 1 - x};
        };
        out.setRGB(to[0], to[1], source.getRGB(x, y));
      }
    }
    return out;
  }

  static Stream<Arguments> picturesAndTransforms() {
    return Stream.of("reg-test-input/labelme-subset/q0122.jpg", "misc-images/small.jpg",
            "bridge-mods/shrink-a-lot.jpg", "misc-images/c.png")
        .flatMap(p -> Stream.of(PdqDihedral.values()).map(t -> Arguments.of(p, t)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("picturesAndTransforms")
  void orientationsAreTheHashesOfTheTransformedPictures(String path, PdqDihedral transform) {
    BufferedImage picture = PdqTestImages.read(path);

    PdqHash oriented = hasher.orientations(picture).get(transform);

    PdqHash direct = hasher.hash(transformed(picture, transform)).hash();
    if (Math.max(picture.getWidth(), picture.getHeight()) <= PdqHasher.MAX_SIDE) {
      assertThat(oriented).isEqualTo(direct);
    } else {
      // A larger picture is averaged down in bins that are not quite mirror-symmetric: a few bits move.
      assertThat(oriented.distance(direct)).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void derivedDihedralHashesCanMissOnPicturesWhoseGridIsNotSymmetric() {
    // Why orientations() exists: on a 256-pixel side PDQ's derived flip is far from the flipped picture.
    BufferedImage picture = PdqTestImages.read("reg-test-input/labelme-subset/q0122.jpg");

    PdqHash derived = hasher.dihedral(picture).get(PdqDihedral.FLIP_Y);

    assertThat(derived.distance(hasher.hash(transformed(picture, PdqDihedral.FLIP_Y)).hash())).isGreaterThan(31);
  }

  @Test
  void theOriginalDihedralHashIsThePlainHash() {
    BufferedImage image = PdqTestImages.read("reg-test-input/labelme-subset/q0122.jpg");

    assertThat(hasher.dihedral(image).original()).isEqualTo(hasher.hash(image));
  }

  @Test
  void thePixelLayoutDoesNotChangeTheHash() {
    BufferedImage jpeg = PdqTestImages.read("reg-test-input/labelme-subset/q0291.jpg");
    PdqFingerprint expected = hasher.hash(jpeg);

    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_BGR}) {
      assertThat(hasher.hash(convert(jpeg, type))).as("type " + type).isEqualTo(expected);
    }
  }

  @Test
  void aSubimageHashesLikeACopyOfThatRegion() {
    BufferedImage jpeg = convert(PdqTestImages.read("reg-test-input/labelme-subset/q0291.jpg"),
        BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage region = jpeg.getSubimage(30, 40, 150, 120);

    assertThat(hasher.hash(region)).isEqualTo(hasher.hash(convert(region, BufferedImage.TYPE_INT_RGB)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 63, 64, 65, 127, 129})
  void tinyAndOddSizesHashWithoutFailing(int side) {
    BufferedImage image = new BufferedImage(side, side + 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xffffff);

    PdqFingerprint fingerprint = hasher.hash(image);

    assertThat(fingerprint.quality()).isBetween(0, 100);
    assertThat(hasher.dihedral(image).hashes()).hasSize(8);
  }

  @Test
  void veryThinPicturesAreAveragedDownWithoutFailing() {
    BufferedImage strip = new BufferedImage(20_000, 1, BufferedImage.TYPE_INT_RGB);

    assertThat(hasher.hash(strip).hash().bitCount()).isZero();
  }

  @Test
  void aFlatPictureHasQualityZero() {
    BufferedImage grey = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);

    assertThat(hasher.hash(grey).quality()).isZero();
  }

  private static BufferedImage convert(BufferedImage source, int type) {
    BufferedImage out = new BufferedImage(source.getWidth(), source.getHeight(), type);
    Graphics2D g = out.createGraphics();
    g.drawImage(source, 0, 0, null);
    g.dispose();
    return out;
  }
}
