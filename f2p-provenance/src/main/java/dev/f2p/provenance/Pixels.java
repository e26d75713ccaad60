package dev.f2p.provenance;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Packed RGB pixels without {@code BufferedImage.getRGB}'s per-pixel colour-model calls, which cost more
 * than the whole watermark: direct array access for the two layouts ImageIO and we produce, the slow
 * path for anything else.
 */
final class Pixels {
  private Pixels() {}

  /** The pixels of an int-packed RGB image the caller owns, live: writes go to the image. */
  static int[] live(BufferedImage image) {
    int[] data = ints(image);
    if (data == null) {
      throw new IllegalArgumentException("not a whole TYPE_INT_RGB image: " + image.getType());
    }
    return data;
  }

  /** A copy of the pixels as 0xRRGGBB (alpha bits, where present, are left as they are). */
  static int[] read(BufferedImage image) {
    int[] data = ints(image);
    if (data != null) {
      return data;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    WritableRaster r = image.getRaster();
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && whole(r)
        && r.getSampleModel() instanceof PixelInterleavedSampleModel sm && sm.getPixelStride() == 3
        && sm.getScanlineStride() == 3 * w && Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})
        && r.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1 && db.getOffset() == 0) {
      byte[] b = db.getData();
      int[] out = new int[w * h];
      for (int i = 0, j = 0; i < out.length; i++, j += 3) {
        out[i] = (b[j + 2] & 0xff) << 16 | (b[j + 1] & 0xff) << 8 | (b[j] & 0xff);
      }
      return out;
    }
    return image.getRGB(0, 0, w, h, null, 0, w);
  }

  private static int @Nullable [] ints(BufferedImage image) {
    int type = image.getType();
    WritableRaster r = image.getRaster();
    if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) && whole(r)
        && r.getSampleModel() instanceof SinglePixelPackedSampleModel sm && sm.getScanlineStride() == image.getWidth()
        && r.getDataBuffer() instanceof DataBufferInt db && db.getNumBanks() == 1 && db.getOffset() == 0) {
      return db.getData();
    }
    return null;
  }

  private static boolean whole(WritableRaster r) {
    return r.getParent() == null && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0;
  }
}
