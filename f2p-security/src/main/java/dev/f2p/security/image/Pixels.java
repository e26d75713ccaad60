package dev.f2p.security.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBufferInt;
import java.awt.image.WritableRaster;
import java.util.Optional;

/**
 * Turns decoded pixels into the one shape the engine gets: sRGB, {@code TYPE_INT_RGB}, transparency
 * composited on white, EXIF orientation applied. The result is a fresh image: nothing of the decoder's
 * metadata (ICC profile, text, EXIF) can ride along.
 */
final class Pixels {
  private Pixels() {}

  static BufferedImage normalise(BufferedImage decoded, int orientation, Optional<ICC_Profile> profile) {
    BufferedImage rgb = toSrgbRgb(decoded);
    profile.ifPresent(p -> fromProfile(rgb, p));
    return orient(rgb, orientation);
  }

  /** Re-reads RGB pixels a decoder took as sRGB that were really in {@code profile}'s space. */
  private static void fromProfile(BufferedImage rgb, ICC_Profile profile) {
    ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
    WritableRaster raster = rgb.getRaster();
    WritableRaster converted = raster.createCompatibleWritableRaster();
    new ColorConvertOp(new ICC_Profile[] {profile, srgb}, null).filter(raster, converted);
    rgb.setData(converted);
  }

  static BufferedImage toSrgbRgb(BufferedImage src) {
    BufferedImage in = src;
    ColorSpace cs = src.getColorModel().getColorSpace();
    if (!cs.isCS_sRGB() && cs.getType() != ColorSpace.TYPE_GRAY) {
      // An embedded ICC profile (Adobe RGB, Display P3, ...): convert colours, keep alpha for the composite.
      BufferedImage converted = new BufferedImage(src.getWidth(), src.getHeight(),
          src.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
      new ColorConvertOp(null).filter(src, converted);
      in = converted;
    }
    BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.drawImage(in, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Applies an EXIF orientation (1 to 8) to a {@code TYPE_INT_RGB} image. */
  static BufferedImage orient(BufferedImage src, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return src;
    }
    int w = src.getWidth();
    int h = src.getHeight();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] in = ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
    BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
    int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { sx = w - 1 - x; sy = y; }           // mirrored
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }   // rotated 180
          case 4 -> { sx = x; sy = h - 1 - y; }           // flipped
          case 5 -> { sx = y; sy = x; }                   // transposed
          case 6 -> { sx = y; sy = h - 1 - x; }           // needs 90 degrees clockwise
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }   // transversed
          default -> { sx = w - 1 - y; sy = x; }          // 8: needs 90 degrees counter-clockwise
        }
        px[y * ow + x] = in[sy * w + sx];
      }
    }
    return out;
  }
}
