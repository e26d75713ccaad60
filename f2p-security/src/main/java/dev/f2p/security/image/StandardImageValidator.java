package dev.f2p.security.image;

import static dev.f2p.core.internal.BuilderOptions.require;

import dev.f2p.core.Principal;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.Face;
import dev.f2p.core.spi.FaceDetector;
import dev.f2p.core.spi.FaceDetectorProvider;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.core.internal.BuilderOptions;
import dev.f2p.core.internal.InMemoryImages;
import dev.f2p.security.image.Problem.RefusedImage;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.commons.imaging.ImageInfo;
import org.apache.commons.imaging.Imaging;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ImageValidator}. In order, each step refusing with
 * {@link dev.f2p.core.ReasonCode#IMAGE_REJECTED} and a detail code:
 * <ol>
 *   <li>byte size ({@code TOO_LARGE}, HTTP 413);
 *   <li>format from the magic number, never a name or content type, against the allow-list
 *       ({@code FORMAT_NOT_ALLOWED}, 415): SVG, TIFF, GIF, BMP, PDF and anything else is refused;
 *   <li>structure, before any parser reads the file at length: PNG chunk CRCs, JPEG segments, RIFF size;
 *       truncation is {@code CORRUPT}; more chunks or segments, or more metadata (PNG ancillary chunks, JPEG
 *       APP and COM segments) than a photo carries is {@code TOO_COMPLEX} (422); bytes after the image's end,
 *       or a script, HTML, PDF or archive inside it, is {@code POLYGLOT};
 *   <li>header read with Apache Commons Imaging, without decoding: width, height, pixel count, bit depth
 *       ({@code TOO_LARGE} 413, {@code TOO_SMALL} 422, {@code CORRUPT}); a decompression bomb stops here;
 *   <li>the decode budget: what decoding, normalising and the face check will hold is computed from the
 *       header ({@link #decodeCost}) and reserved from a {@link DecodeBudget} (bytes and number of decodes
 *       at once), waiting at most {@link Builder#decodeWait(Duration)}; no room is
 *       {@link dev.f2p.core.ReasonCode#OVERLOADED} with detail {@code DECODE_BUSY} (503, retry-after), and
 *       so is a heap that runs out during the decode anyway; the reservation is released on every path;
 *   <li>decoding with ImageIO, every decoder exception caught ({@code CORRUPT});
 *   <li>normalising: ICC colours to sRGB, EXIF orientation applied, metadata dropped by copying the pixels
 *       into a fresh {@code TYPE_INT_RGB} image;
 *   <li>the face check, when a {@link FaceDetector} is present: exactly one face ({@code NO_FACE},
 *       {@code MULTIPLE_FACES}) covering at least {@link Builder#minFaceShare(double)} of the frame
 *       ({@code FACE_TOO_SMALL}); a detector that fails refuses with {@code FACE_CHECK_UNAVAILABLE} (503).
 * </ol>
 * Memory is bounded by the budget, not by the number of callers: all decodes in flight together hold at
 * most {@link Builder#decodeMemory(long)} bytes (plus a few KiB each), whatever arrives at once. What stays
 * after a call is the accepted image: 4 bytes per pixel.
 *
 * <p>Thread-safe and immutable; share one. Closing it closes a face detector it found itself.
 */
public final class StandardImageValidator implements ImageValidator, AutoCloseable {
  /** Largest file accepted: 10 MiB. */
  public static final int DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
  /**
   * Longest side accepted: {@value} pixels. The model takes a cropped face and works at 1024 pixels or
   * less; the face check looks at 1024 and PDQ at 512. Twice the model's side leaves room for a generous
   * crop; more pixels only cost decoding time and memory and give the model nothing.
   */
  public static final int DEFAULT_MAX_SIDE = 2048;
  /** Most pixels accepted: 4 megapixels (2048 x 2048). */
  public static final long DEFAULT_MAX_PIXELS = 2048L * 2048L;
  /**
   * Memory all decodes in flight may hold together: 256 MiB, room for three decodes of the largest image
   * the defaults accept at its worst (2048 x 2048 at 16-bit RGBA: 69 MiB with the OpenCV face check) or
   * sixteen ordinary 1024 x 1024 JPEG faces (16 MiB each).
   */
  public static final long DEFAULT_DECODE_MEMORY = 256L << 20;
  /** How long a decode waits for room in the budget before it is refused: 2 seconds. */
  public static final Duration DEFAULT_DECODE_WAIT = Duration.ofSeconds(2);
  /** Per decode, what the decoder holds besides the raster (stream buffers, rows, tables): 1 MiB. */
  static final long DECODER_OVERHEAD = 1L << 20;
  /**
   * Per pixel, what normalising holds besides the decoded raster: the {@code TYPE_INT_RGB} result and one
   * working copy of the same size (colour conversion or orientation): 8 bytes.
   */
  static final int NORMALISE_BYTES_PER_PIXEL = 8;
  /** Shortest side accepted: {@value} pixels. */
  public static final int DEFAULT_MIN_SIDE = 64;
  /** Most bits per pixel any accepted format has: {@value} (16-bit RGBA); a header claiming more is corrupt. */
  static final int MAX_BITS_PER_PIXEL = 64;
  /** Smallest share of the frame the face's box must cover: {@value} (a cropped face covers 0.3 or more). */
  public static final double DEFAULT_MIN_FACE_SHARE = 0.10;

  private static final Logger LOG = LoggerFactory.getLogger(StandardImageValidator.class);

  private final int maxBytes;
  private final int maxSide;
  private final long maxPixels;
  private final int minSide;
  private final Set<ImageFormat> formats;
  private final Optional<FaceDetector> faceDetector;
  private final double minFaceShare;
  private final boolean ownsDetector;
  private final DecodeBudget budget;
  private final Duration decodeWait;

  private StandardImageValidator(Builder b, Optional<FaceDetector> detector, boolean ownsDetector,
      DecodeBudget budget) {
    this.maxBytes = b.maxBytes;
    this.maxSide = b.maxSide;
    this.maxPixels = b.maxPixels;
    this.minSide = b.minSide;
    this.formats = Set.copyOf(b.formats);
    this.faceDetector = detector;
    this.minFaceShare = b.minFaceShare;
    this.ownsDetector = ownsDetector;
    this.budget = budget;
    this.decodeWait = b.decodeWait;
  }

  /**
   * A validator with the defaults and the face detector found on the class path, if any.
   *
   * @return the validator; close it to close a detector it found
   */
  public static StandardImageValidator create() {
    return builder().build();
  }

  /**
   * A builder holding the defaults; the face check is discovered on the class path unless set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The formats this validator accepts; any other is refused by its magic bytes, before decoding.
   *
   * @return an immutable set
   */
  public Set<ImageFormat> formats() {
    return formats;
  }

  /**
   * The budget decodes are admitted against: an image that finds no room within the decode wait is
   * refused as overloaded (503) rather than decoded.
   *
   * @return the budget (shared when one was given to the builder)
   */
  public DecodeBudget decodeBudget() {
    return budget;
  }

  /**
   * Whether images go through the one-face check.
   *
   * @return false when the builder chose {@link Builder#withoutFaceCheck()} or found no detector
   */
  public boolean checksFaces() {
    return faceDetector.isPresent();
  }

  @Override
  public Decision<ValidatedImage> validate(byte[] image, Principal principal) {
    Objects.requireNonNull(image, "image");
    Sniffed sniffed = Sniffed.of(image);
    try {
      ImageFormat format = checkBytes(image, sniffed);
      // The structure walk comes before any library parses the file: it bounds what they will read.
      int orientation = 1;
      Optional<ICC_Profile> pngProfile = Optional.empty();
      switch (format) {
        case PNG -> pngProfile = PngStructure.check(image);
        case JPEG -> orientation = JpegStructure.check(image); // the JPEG decoder applies ICC itself
        case WEBP -> checkRiff(image);
      }
      ImageInfo info = header(image);
      checkHeader(info);
      if (Polyglots.inFile(image)) {
        throw Problem.POLYGLOT.refuse();
      }
      long cost = decodeCost(info.getWidth(), info.getHeight(), info.getBitsPerPixel());
      if (!budget.tryReserve(cost, decodeWait)) {
        throw Problem.DECODE_BUSY.refuse();
      }
      try {
        BufferedImage pixels = decodeAndCheck(image, format, info, orientation, pngProfile);
        return Decision.allow(new ValidatedImage(pixels, format.name()), Map.of(
            "image.format", format.name(),
            "image.size", pixels.getWidth() + "x" + pixels.getHeight()));
      } finally {
        budget.release(cost);
      }
    } catch (RefusedImage r) {
      return Decision.reject(r.problem.rejection(), sniffed.format()
          .map(f -> Map.of("image.format", f.name()))
          .orElse(Map.of()));
    }
  }

  private BufferedImage decodeAndCheck(byte[] image, ImageFormat format, ImageInfo info, int orientation,
      Optional<ICC_Profile> pngProfile) throws RefusedImage {
    BufferedImage pixels;
    try {
      pixels = Pixels.normalise(decode(image, format, info), orientation, pngProfile);
    } catch (OutOfMemoryError e) {
      throw outOfMemory();
    }
    try {
      checkFace(pixels);
    } catch (OutOfMemoryError e) {
      throw outOfMemory();
    }
    return pixels;
  }

  /**
   * What one decode of a {@code width x height} image of {@code bitsPerPixel} (as its header says) holds at
   * its peak: the decoder's raster (at least one byte per pixel), normalising's RGB result and working copy,
   * the face detector's working memory, and the decoder's own buffers. An upper bound, not a guess: the
   * budget is only as good as it.
   */
  long decodeCost(long width, long height, int bitsPerPixel) {
    long pixels = width * height;
    long raster = pixels * Math.max(1, (bitsPerPixel + 7) / 8);
    long face = faceDetector.map(d -> d.workingBytes((int) width, (int) height)).orElse(0L);
    return raster + pixels * NORMALISE_BYTES_PER_PIXEL + Math.max(0, face) + DECODER_OVERHEAD;
  }

  private ImageFormat checkBytes(byte[] image, Sniffed sniffed) throws RefusedImage {
    if (image.length > maxBytes) {
      throw Problem.TOO_LARGE.refuse();
    }
    if (sniffed == Sniffed.DAMAGED_PNG && formats.contains(ImageFormat.PNG)) {
      throw Problem.CORRUPT.refuse();
    }
    Optional<ImageFormat> format = sniffed.format();
    if (format.isEmpty() || !formats.contains(format.get())) {
      throw Problem.FORMAT_NOT_ALLOWED.refuse();
    }
    return format.get();
  }

  private static ImageInfo header(byte[] image) throws RefusedImage {
    try {
      // Reads the header only: a file claiming 100000x100000 costs microseconds and allocates no raster.
      return Imaging.getImageInfo(image);
    } catch (Exception | Error e) {
      throw refusedForDecoderFault(e);
    }
  }

  private void checkHeader(ImageInfo info) throws RefusedImage {
    long w = info.getWidth();
    long h = info.getHeight();
    if (w <= 0 || h <= 0 || info.getBitsPerPixel() <= 0 || info.getBitsPerPixel() > MAX_BITS_PER_PIXEL) {
      throw Problem.CORRUPT.refuse(); // no format we accept has a depth beyond 16-bit RGBA
    }
    if (w > maxSide || h > maxSide || w * h > maxPixels) {
      throw Problem.TOO_LARGE.refuse();
    }
    if (w < minSide || h < minSide) {
      throw Problem.TOO_SMALL.refuse();
    }
  }

  private static void checkRiff(byte[] image) throws RefusedImage {
    long declared = Bytes.u32le(image, 4) + 8L;
    declared += declared & 1; // RIFF pads odd chunks
    if (declared > image.length) {
      throw Problem.CORRUPT.refuse();
    }
    if (declared < image.length) {
      throw Problem.POLYGLOT.refuse();
    }
  }

  private static BufferedImage decode(byte[] image, ImageFormat format, ImageInfo info) throws RefusedImage {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
    if (!readers.hasNext()) {
      throw Problem.FORMAT_NOT_ALLOWED.refuse();
    }
    ImageReader reader = readers.next();
    // Never ImageIO's temp-file cache: untrusted bytes stay off the disk.
    try (ImageInputStream in = InMemoryImages.input(image)) {
      reader.setInput(in, true, true);
      if (reader.getNumImages(false) > 1 && format != ImageFormat.JPEG) {
        throw Problem.FORMAT_NOT_ALLOWED.refuse(); // animations
      }
      if (reader.getWidth(0) != info.getWidth() || reader.getHeight(0) != info.getHeight()) {
        throw Problem.CORRUPT.refuse(); // two parsers disagree: someone is crafting for one of them
      }
      BufferedImage decoded = reader.read(0, reader.getDefaultReadParam());
      if (decoded.getWidth() != info.getWidth() || decoded.getHeight() != info.getHeight()) {
        throw Problem.CORRUPT.refuse();
      }
      return decoded;
    } catch (RefusedImage r) {
      throw r;
    } catch (Exception | Error e) {
      throw refusedForDecoderFault(e);
    } finally {
      reader.dispose();
    }
  }

  static RefusedImage refusedForDecoderFault(Throwable t) {
    // Decoders on hostile input throw anything: IOException, IllegalArgumentException, AIOOBE, even
    // StackOverflowError. All of that is the input's fault. A heap that runs out is not: the budget admitted
    // this decode, so other work took the memory, and calling this image corrupt would be a lie.
    if (t instanceof OutOfMemoryError) {
      return outOfMemory();
    }
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
      throw (VirtualMachineError) t;
    }
    return Problem.CORRUPT.refuse();
  }

  private static RefusedImage outOfMemory() {
    LOG.warn("the heap ran out during an admitted image decode: the heap is below what the decode budget"
        + " needs (see the README's heap formula); answering OVERLOADED");
    return Problem.DECODE_BUSY.refuse();
  }

  private void checkFace(BufferedImage pixels) throws RefusedImage {
    if (faceDetector.isEmpty()) {
      return;
    }
    List<Face> faces;
    try {
      faces = faceDetector.get().detectFaces(pixels);
    } catch (RuntimeException e) {
      LOG.error("face detector {} failed; refusing the image", faceDetector.get().getClass().getName(), e);
      throw Problem.FACE_CHECK_UNAVAILABLE.refuse();
    }
    if (faces == null) {
      throw Problem.FACE_CHECK_UNAVAILABLE.refuse();
    }
    if (faces.isEmpty()) {
      throw Problem.NO_FACE.refuse();
    }
    if (faces.size() > 1) {
      throw Problem.MULTIPLE_FACES.refuse();
    }
    if (faces.get(0).shareOf(pixels.getWidth(), pixels.getHeight()) < minFaceShare) {
      throw Problem.FACE_TOO_SMALL.refuse();
    }
  }

  /** Closes the face detector if this validator found it itself (not one set on the builder). */
  @Override
  public void close() {
    if (ownsDetector && faceDetector.isPresent() && faceDetector.get() instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("face detector {} failed to close", c.getClass().getName(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "StandardImageValidator{formats=" + formats + ", maxBytes=" + maxBytes + ", maxSide=" + maxSide
        + ", maxPixels=" + maxPixels + ", minSide=" + minSide + ", decodeBudget=" + budget + ", decodeWait="
        + decodeWait + ", faceCheck="
        + faceDetector.map(d -> d.getClass().getSimpleName() + ">=" + minFaceShare).orElse("off") + "}";
  }

  /**
   * Builds a {@link StandardImageValidator}; every option may be set at most once. By default the face
   * detector is looked up with {@link ServiceLoader} ({@link FaceDetectorProvider}, preferring the one
   * named {@code opencv}); when none is on the class path the validator runs without the face check and
   * says so in a WARN log line when built. Not thread-safe.
   */
  public static final class Builder {
    private int maxBytes = DEFAULT_MAX_BYTES;
    private int maxSide = DEFAULT_MAX_SIDE;
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private int minSide = DEFAULT_MIN_SIDE;
    private Set<ImageFormat> formats = ImageFormat.defaults();
    private double minFaceShare = DEFAULT_MIN_FACE_SHARE;
    private FaceMode faceMode = FaceMode.DISCOVER;
    private @Nullable FaceDetector faceDetector;
    private long decodeMemory = DEFAULT_DECODE_MEMORY;
    private int decodeConcurrency = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Duration decodeWait = DEFAULT_DECODE_WAIT;
    private @Nullable DecodeBudget sharedBudget;
    private final BuilderOptions options = new BuilderOptions();

    private enum FaceMode { DISCOVER, GIVEN, OWNED, NONE }

    private Builder() {}

    /**
     * Largest file, 1 byte to 256 MiB; default {@link #DEFAULT_MAX_BYTES}. Checked before anything is
     * parsed ({@code TOO_LARGE}, 413).
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxBytes(int bytes) {
      options.once("maxBytes");
      require(bytes >= 1 && bytes <= 256 * 1024 * 1024, "maxBytes must be 1..268435456: " + bytes);
      this.maxBytes = bytes;
      return this;
    }

    /**
     * Longest side, 1 to 65535 pixels; default {@value #DEFAULT_MAX_SIDE}. Read from the header, before
     * decoding.
     *
     * @param pixels the limit
     * @return this builder
     */
    public Builder maxSide(int pixels) {
      options.once("maxSide");
      require(pixels >= 1 && pixels <= 65_535, "maxSide must be 1..65535: " + pixels);
      this.maxSide = pixels;
      return this;
    }

    /**
     * Most pixels, 1 to 2^28; default {@link #DEFAULT_MAX_PIXELS}. Read from the header, before decoding:
     * it bounds the memory one decode may take.
     *
     * @param pixels the limit
     * @return this builder
     */
    public Builder maxPixels(long pixels) {
      options.once("maxPixels");
      require(pixels >= 1 && pixels <= (1L << 28), "maxPixels must be 1..268435456: " + pixels);
      this.maxPixels = pixels;
      return this;
    }

    /**
     * Shortest side, at least 1; default {@value #DEFAULT_MIN_SIDE}. A smaller image is refused with
     * {@code TOO_SMALL} (422).
     *
     * @param pixels the limit
     * @return this builder
     */
    public Builder minSide(int pixels) {
      options.once("minSide");
      require(pixels >= 1, "minSide must be at least 1: " + pixels);
      this.minSide = pixels;
      return this;
    }

    /**
     * The formats accepted; default {@link ImageFormat#defaults()}.
     *
     * @param allowed at least one, each {@link ImageFormat#isDecodable() decodable} here (WebP needs a
     *     decoder on the class path); copied
     * @return this builder
     */
    public Builder formats(Set<ImageFormat> allowed) {
      options.once("formats");
      Objects.requireNonNull(allowed, "formats");
      require(!allowed.isEmpty(), "formats must not be empty");
      for (ImageFormat f : allowed) {
        require(f.isDecodable(), "format " + f + " has no ImageIO decoder on the class path");
      }
      this.formats = EnumSet.copyOf(allowed);
      return this;
    }

    /**
     * Checks faces with this detector (which the host keeps and closes) instead of one found on the class
     * path.
     *
     * @param detector a thread-safe detector
     * @return this builder
     */
    public Builder faceDetector(FaceDetector detector) {
      return faceDetector(detector, false);
    }

    /** A detector the validator closes with itself (one its provider built). */
    Builder faceDetector(FaceDetector detector, boolean owned) {
      options.once("faceDetector");
      this.faceDetector = Objects.requireNonNull(detector, "detector");
      this.faceMode = owned ? FaceMode.OWNED : FaceMode.GIVEN;
      return this;
    }

    /**
     * No face check, chosen explicitly (logged at INFO when built): images with no face or several pass.
     * Excludes {@link #faceDetector(FaceDetector)}.
     *
     * @return this builder
     */
    public Builder withoutFaceCheck() {
      options.once("faceDetector");
      this.faceMode = FaceMode.NONE;
      return this;
    }

    /**
     * Smallest share of the frame the face's box must cover; default {@value #DEFAULT_MIN_FACE_SHARE}. An
     * image whose one face is smaller is refused with {@code FACE_TOO_SMALL}.
     *
     * @param share in (0, 1]
     * @return this builder
     */
    public Builder minFaceShare(double share) {
      options.once("minFaceShare");
      require(share > 0 && share <= 1, "minFaceShare must be in (0, 1]: " + share);
      this.minFaceShare = share;
      return this;
    }

    /**
     * Memory all decodes in flight may hold together, 1 MiB to 1 PiB; default
     * {@link #DEFAULT_DECODE_MEMORY}. It must hold one decode of the largest image allowed.
     *
     * @param bytes the budget in bytes
     * @return this builder
     */
    public Builder decodeMemory(long bytes) {
      options.once("decodeMemory");
      require(bytes >= (1L << 20) && bytes <= (1L << 50), "decodeMemory must be 1 MiB..1 PiB: " + bytes);
      this.decodeMemory = bytes;
      return this;
    }

    /**
     * Most decodes at once, 1 to {@value DecodeBudget#MAX_CONCURRENCY}; default the number of processors
     * (decoding is CPU-bound: more at once only makes each slower).
     *
     * @param decodes the most decodes admitted at once
     * @return this builder
     */
    public Builder decodeConcurrency(int decodes) {
      options.once("decodeConcurrency");
      require(decodes >= 1 && decodes <= DecodeBudget.MAX_CONCURRENCY,
          "decodeConcurrency must be 1.." + DecodeBudget.MAX_CONCURRENCY + ": " + decodes);
      this.decodeConcurrency = decodes;
      return this;
    }

    /**
     * Decodes are admitted against this budget, shared with other validators, instead of one of their own
     * (not with {@link #decodeMemory} or {@link #decodeConcurrency}).
     *
     * @param budget the shared budget
     * @return this builder
     */
    public Builder decodeBudget(DecodeBudget budget) {
      options.once("decodeBudget");
      this.sharedBudget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * Longest wait for room in the decode budget, 0 (refuse at once) to 1 minute; default
     * {@link #DEFAULT_DECODE_WAIT}.
     *
     * @param wait the longest wait
     * @return this builder
     */
    public Builder decodeWait(Duration wait) {
      options.once("decodeWait");
      Objects.requireNonNull(wait, "wait");
      require(!wait.isNegative() && wait.compareTo(Duration.ofMinutes(1)) <= 0,
          "decodeWait must be 0..1 minute: " + wait);
      this.decodeWait = wait;
      return this;
    }

    /**
     * Builds the validator.
     *
     * @return the validator
     * @throws IllegalArgumentException when the options contradict each other, or the decode budget cannot
     *     hold one decode of the largest image allowed
     */
    public StandardImageValidator build() {
      require(minSide <= maxSide, "minSide (" + minSide + ") must not exceed maxSide (" + maxSide + ")");
      require((long) minSide * minSide <= maxPixels,
          "minSide (" + minSide + ") squared must not exceed maxPixels (" + maxPixels + ")");
      require(sharedBudget == null || (!options.isSet("decodeMemory") && !options.isSet("decodeConcurrency")),
          "decodeBudget is shared: decodeMemory and decodeConcurrency belong to it");
      DecodeBudget budget = sharedBudget != null ? sharedBudget : new DecodeBudget(decodeMemory, decodeConcurrency);
      return switch (faceMode) {
        case GIVEN -> checked(new StandardImageValidator(this, Optional.of(Objects.requireNonNull(faceDetector, "faceDetector")), false, budget));
        case NONE -> {
          LOG.info("image validator built without a face check, as configured");
          yield checked(new StandardImageValidator(this, Optional.empty(), false, budget));
        }
        case OWNED -> checked(new StandardImageValidator(this, Optional.of(Objects.requireNonNull(faceDetector, "faceDetector")), true, budget));
        case DISCOVER -> {
          Optional<FaceDetector> found = discoverDetector();
          if (found.isEmpty()) {
            LOG.warn("no FaceDetector on the class path (add f2p-face-opencv): images are accepted WITHOUT"
                + " the one-face check");
          }
          yield checked(new StandardImageValidator(this, found, true, budget));
        }
      };
    }

    /** The validator, if its budget can admit the worst image it accepts; otherwise closed and refused. */
    private StandardImageValidator checked(StandardImageValidator v) {
      long pixels = Math.min(maxPixels, (long) maxSide * maxSide);
      long side = Math.min(maxSide, pixels);
      long other = (pixels + side - 1) / side; // rounded up: the check may only err on the safe side
      long worst = v.decodeCost(side, other, MAX_BITS_PER_PIXEL);
      if (!v.budget.fits(worst)) {
        v.close();
        throw new IllegalArgumentException("decodeMemory (" + v.budget.memoryBytes() + " bytes) cannot hold one"
            + " decode of the largest image allowed (" + side + "x" + other + " at 16-bit RGBA: " + worst
            + " bytes); raise decodeMemory or lower maxPixels");
      }
      return v;
    }

    private static Optional<FaceDetector> discoverDetector() {
      FaceDetectorProvider chosen = null;
      for (FaceDetectorProvider p : ServiceLoader.load(FaceDetectorProvider.class)) {
        if (chosen == null || p.name().equals("opencv")) {
          chosen = p;
        }
      }
      // A detector on the class path that cannot start fails the build: the host meant to check faces.
      return Optional.ofNullable(chosen).map(Builder::create);
    }

    private static FaceDetector create(FaceDetectorProvider p) {
      try {
        return Objects.requireNonNull(p.create(PolicySettings.of(Map.of())), "provider returned null");
      } catch (Exception e) {
        throw new IllegalStateException("FaceDetectorProvider '" + p.name() + "' failed: " + e.getMessage(), e);
      }
    }
  }
}
