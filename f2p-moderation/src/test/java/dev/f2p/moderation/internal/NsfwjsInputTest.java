package dev.f2p.moderation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NsfwjsInputTest {
  private static final int S = NsfwjsInput.SIZE;
  private static final int PLANE = S * S;

  private static BufferedImage random(int width, int height, int type, long seed) {
    Random r = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, 0xFF000000 | r.nextInt(0x1000000));
      }
    }
    return image;
  }

  private static float channel(int rgb, int channel) {
    return (float) (((rgb >> (16 - 8 * channel)) & 0xFF) / 255.0);
  }

  @Test
  void aPictureAlreadyAt224IsOnlyScaledToZeroOne() {
    BufferedImage image = random(S, S, BufferedImage.TYPE_INT_RGB, 1);
    float[] input = NsfwjsInput.of(image);

    assertThat(input).hasSize(3 * PLANE);
    for (int y = 0; y < S; y += 37) {
      for (int x = 0; x < S; x += 29) {
        for (int c = 0; c < 3; c++) {
          assertThat(input[c * PLANE + y * S + x]).isEqualTo(channel(image.getRGB(x, y), c));
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"512, 512", "640, 427", "32, 32", "1000, 3"})
  void theCornersAreAlignedOnTheSourceCorners(int width, int height) {
    // Without align_corners (or with half-pixel centres) the corner samples would blend neighbours.
    BufferedImage image = random(width, height, BufferedImage.TYPE_INT_RGB, width * 31L + height);
    float[] input = NsfwjsInput.of(image);

    for (int c = 0; c < 3; c++) {
      assertThat(input[c * PLANE]).isEqualTo(channel(image.getRGB(0, 0), c));
      assertThat(input[c * PLANE + S - 1]).isEqualTo(channel(image.getRGB(width - 1, 0), c));
      assertThat(input[c * PLANE + (S - 1) * S]).isEqualTo(channel(image.getRGB(0, height - 1), c));
      assertThat(input[c * PLANE + PLANE - 1]).isEqualTo(channel(image.getRGB(width - 1, height - 1), c));
    }
  }

  @Test
  void aTwoByTwoPictureIsInterpolatedBilinearly() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0x000000);
    image.setRGB(1, 0, 0xFF0000);
    image.setRGB(0, 1, 0x00FF00);
    image.setRGB(1, 1, 0xFFFFFF);
    float[] input = NsfwjsInput.of(image);

    // Red rises left to right only; green top to bottom, plus the bottom-right corner's share.
    int r = 100;
    int c = 50;
    double u = c / 223.0;
    double v = r / 223.0;
    assertThat(input[r * S + c]).isCloseTo((float) u, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(input[PLANE + r * S + c]).isCloseTo((float) v, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(input[2 * PLANE + r * S + c]).isCloseTo((float) (u * v), org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void everyPixelLayoutGivesTheSameInput() {
    BufferedImage rgb = random(300, 200, BufferedImage.TYPE_INT_RGB, 7);
    for (int type : new int[] {BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_BGR}) {
      BufferedImage copy = new BufferedImage(300, 200, type);
      copy.createGraphics().drawImage(rgb, 0, 0, null);

      assertThat(NsfwjsInput.of(copy)).as("type %d", type).containsExactly(NsfwjsInput.of(rgb));
    }
  }

  @Test
  void alphaIsIgnored() {
    BufferedImage opaque = random(50, 60, BufferedImage.TYPE_INT_ARGB, 3);
    BufferedImage clear = new BufferedImage(50, 60, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 50; x++) {
        clear.setRGB(x, y, opaque.getRGB(x, y) & 0x00FFFFFF);
      }
    }
    assertThat(NsfwjsInput.of(clear)).containsExactly(NsfwjsInput.of(opaque));
  }

  @Test
  void aSinglePixelFillsTheWholeInput() {
    BufferedImage dot = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    dot.setRGB(0, 0, 0x336699);
    float[] input = NsfwjsInput.of(dot);

    assertThat(input[0]).isEqualTo(channel(0x336699, 0));
    assertThat(input[PLANE - 1]).isEqualTo(channel(0x336699, 0));
    assertThat(input[3 * PLANE - 1]).isEqualTo(channel(0x336699, 2));
  }
}
