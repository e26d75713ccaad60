package dev.f2p.face.opencv;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import dev.f2p.core.spi.Face;
import dev.f2p.core.spi.FaceDetector;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.FileStorage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * A {@link FaceDetector} on OpenCV's Haar frontal-face cascade ({@code haarcascade_frontalface_default.xml}),
 * loaded from the OpenCV native jar's resources into memory: nothing is downloaded or written to disk.
 *
 * <p>Detection runs on a grey, histogram-equalised copy of the image, downscaled first when a side is longer
 * than {@link Builder#maxSide(int)}, so the native cost of one call is bounded whatever the caller sends; the
 * boxes are scaled back to the input's coordinates.
 *
 * <p>Thread-safe: OpenCV's {@code CascadeClassifier} is not, so each call borrows one from a bounded pool
 * (at most {@link Builder#poolSize(int)} classifiers, created on demand) and waits at most
 * {@link Builder#acquireTimeout(Duration)} for one; a call that cannot get one throws, and the image
 * validator refuses the image (fail closed). {@link #close()} frees the native classifiers.
 */
public final class OpenCvFaceDetector implements FaceDetector, AutoCloseable {
  /** Longest side, in pixels, of the image the cascade runs on: {@value}. */
  public static final int DEFAULT_MAX_SIDE = 1024;
  /** Cascade scale step: {@value}. */
  public static final double DEFAULT_SCALE_FACTOR = 1.1;
  /** Neighbours a candidate needs to count as a face: {@value}. */
  public static final int DEFAULT_MIN_NEIGHBORS = 3;
  /** Smallest face box, in pixels of the (downscaled) image: {@value}. */
  public static final int DEFAULT_MIN_FACE_PIXELS = 30;
  /** How long a call waits for a free classifier: 5 seconds. */
  public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

  static final String CASCADE_RESOURCE = "share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

  private final int maxSide;
  private final double scaleFactor;
  private final int minNeighbors;
  private final int minFacePixels;
  private final Duration acquireTimeout;
  private final int poolSize;
  private final String cascadeXml;
  private final BlockingQueue<CascadeClassifier> idle;
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private OpenCvFaceDetector(Builder b) {
    this.maxSide = b.maxSide;
    this.scaleFactor = b.scaleFactor;
    this.minNeighbors = b.minNeighbors;
    this.minFacePixels = b.minFacePixels;
    this.acquireTimeout = b.acquireTimeout;
    this.poolSize = b.poolSize;
    this.idle = new ArrayBlockingQueue<>(poolSize);
    this.cascadeXml = readCascade();
    // Load one at once: a broken native set-up fails when the host builds, not on the first request.
    created.set(1);
    idle.add(loadClassifier());
  }

  /**
   * A detector with the defaults.
   *
   * @return the detector
   */
  public static OpenCvFaceDetector create() {
    return builder().build();
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  @SuppressWarnings("try") // the scope frees every native object made inside it
  public List<Face> detectFaces(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = Math.min(1.0, (double) maxSide / Math.max(w, h));
    BufferedImage gray = toGray(image, Math.max(1, (int) Math.round(w * scale)), Math.max(1, (int) Math.round(h * scale)));
    CascadeClassifier classifier = acquire();
    try (PointerScope scope = new PointerScope()) {
      byte[] data = ((java.awt.image.DataBufferByte) gray.getRaster().getDataBuffer()).getData();
      Mat mat = new Mat(gray.getHeight(), gray.getWidth(), CV_8UC1);
      mat.data().put(data, 0, data.length);
      Mat equalised = new Mat();
      equalizeHist(mat, equalised);
      RectVector found = new RectVector();
      classifier.detectMultiScale(equalised, found, scaleFactor, minNeighbors, 0,
          new Size(minFacePixels, minFacePixels), new Size());
      List<Face> faces = new ArrayList<>((int) found.size());
      for (long i = 0; i < found.size(); i++) {
        Rect r = found.get(i);
        int x = (int) Math.floor(r.x() / scale);
        int y = (int) Math.floor(r.y() / scale);
        int fw = Math.max(1, Math.min(w - x, (int) Math.round(r.width() / scale)));
        int fh = Math.max(1, Math.min(h - y, (int) Math.round(r.height() / scale)));
        faces.add(new Face(x, y, fw, fh));
      }
      return List.copyOf(faces);
    } finally {
      release(classifier);
    }
  }

  /**
   * The grey copy the cascade runs on (downscaled to {@link Builder#maxSide(int)}) in the heap, and its
   * native copy and equalised copy: 4 bytes per pixel of the downscaled image. The cascade's own pyramid
   * is native memory outside the Java heap and is not counted.
   *
   * @param width the image's width in pixels
   * @param height the image's height in pixels
   * @return bytes
   */
  @Override
  public long workingBytes(int width, int height) {
    double scale = Math.min(1.0, (double) maxSide / Math.max(1, Math.max(width, height)));
    return 4L * Math.max(1, Math.round(width * scale)) * Math.max(1, Math.round(height * scale));
  }

  /** Frees the native classifiers; calls after this throw. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      CascadeClassifier c;
      while ((c = idle.poll()) != null) {
        c.close();
      }
    }
  }

  private static BufferedImage toGray(BufferedImage image, int width, int height) {
    // Java2D does the RGB->grey conversion and the area-averaging downscale in one bounded step.
    BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = gray.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return gray;
  }

  private CascadeClassifier acquire() {
    if (closed.get()) {
      throw new IllegalStateException("face detector is closed");
    }
    CascadeClassifier c = idle.poll();
    if (c != null) {
      return c;
    }
    for (int n = created.get(); n < poolSize; n = created.get()) {
      if (created.compareAndSet(n, n + 1)) {
        try {
          return loadClassifier();
        } catch (RuntimeException e) {
          created.decrementAndGet();
          throw e;
        }
      }
    }
    try {
      c = idle.poll(acquireTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a face classifier", e);
    }
    if (c == null) {
      throw new IllegalStateException("no face classifier free within " + acquireTimeout);
    }
    return c;
  }

  private void release(CascadeClassifier c) {
    if (closed.get() || !idle.offer(c)) {
      c.close();
    }
  }

  private CascadeClassifier loadClassifier() {
    try (FileStorage fs = new FileStorage(cascadeXml, FileStorage.READ | FileStorage.MEMORY)) {
      CascadeClassifier c = new CascadeClassifier();
      if (!c.read(fs.getFirstTopLevelNode()) || c.empty()) {
        c.close();
        throw new IllegalStateException("could not load the OpenCV frontal-face cascade");
      }
      return c;
    }
  }

  private static String readCascade() {
    Loader.load(org.bytedeco.opencv.global.opencv_objdetect.class);
    String path = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/" + CASCADE_RESOURCE;
    try (InputStream in = CascadeClassifier.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("OpenCV native jar for " + Loader.getPlatform()
            + " is not on the class path (missing " + path + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    }
  }

  @Override
  public String toString() {
    return "OpenCvFaceDetector{maxSide=" + maxSide + ", scaleFactor=" + scaleFactor + ", minNeighbors="
        + minNeighbors + ", minFacePixels=" + minFacePixels + ", poolSize=" + poolSize + "}";
  }

  /** Builds an {@link OpenCvFaceDetector}; each option may be set once. Not thread-safe. */
  public static final class Builder {
    private int maxSide = DEFAULT_MAX_SIDE;
    private double scaleFactor = DEFAULT_SCALE_FACTOR;
    private int minNeighbors = DEFAULT_MIN_NEIGHBORS;
    private int minFacePixels = DEFAULT_MIN_FACE_PIXELS;
    private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
    private int poolSize = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    /**
     * Longest side the cascade runs on (64 to 8192); larger images are downscaled first.
     *
     * @param pixels the longest side in pixels
     * @return this builder
     */
    public Builder maxSide(int pixels) {
      require(pixels >= 64 && pixels <= 8192, "maxSide must be 64..8192: " + pixels);
      this.maxSide = pixels;
      return this;
    }

    /**
     * The cascade's scale step, more than 1.0 and at most 2.0.
     *
     * @param factor the scale step
     * @return this builder
     */
    public Builder scaleFactor(double factor) {
      require(factor > 1.0 && factor <= 2.0, "scaleFactor must be in (1.0, 2.0]: " + factor);
      this.scaleFactor = factor;
      return this;
    }

    /**
     * Neighbours a candidate needs (0 to 50).
     *
     * @param neighbors the neighbour count
     * @return this builder
     */
    public Builder minNeighbors(int neighbors) {
      require(neighbors >= 0 && neighbors <= 50, "minNeighbors must be 0..50: " + neighbors);
      this.minNeighbors = neighbors;
      return this;
    }

    /**
     * Smallest face box in pixels (8 to 1024).
     *
     * @param pixels the smallest box side in pixels
     * @return this builder
     */
    public Builder minFacePixels(int pixels) {
      require(pixels >= 8 && pixels <= 1024, "minFacePixels must be 8..1024: " + pixels);
      this.minFacePixels = pixels;
      return this;
    }

    /**
     * Most classifiers kept (1 to 256); each holds about 1 MB of native memory.
     *
     * @param size the most classifiers
     * @return this builder
     */
    public Builder poolSize(int size) {
      require(size >= 1 && size <= 256, "poolSize must be 1..256: " + size);
      this.poolSize = size;
      return this;
    }

    /**
     * How long a call waits for a free classifier (1 ms to 1 minute).
     *
     * @param timeout the longest wait
     * @return this builder
     */
    public Builder acquireTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      require(timeout.toMillis() >= 1 && timeout.compareTo(Duration.ofMinutes(1)) <= 0,
          "acquireTimeout must be 1ms..1min: " + timeout);
      this.acquireTimeout = timeout;
      return this;
    }

    /**
     * Loads the cascade; fails when the OpenCV natives for this platform are missing.
     *
     * @return the detector
     */
    public OpenCvFaceDetector build() {
      require(minFacePixels < maxSide, "minFacePixels (" + minFacePixels + ") must be below maxSide (" + maxSide + ")");
      return new OpenCvFaceDetector(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
