package dev.f2p.moderation;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.f2p.moderation.internal.DjlPrivacy;
import dev.f2p.moderation.internal.ModelFile;
import dev.f2p.moderation.internal.NsfwjsInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NSFW image classifier of nsfwjs 4.4.0 (MobileNetV2, five classes: {@link NsfwClass}), converted to
 * TorchScript and run in process on DJL/PyTorch. The converted model ships in this module's jar
 * ({@code models/nsfwjs-mobilenet-v2/} in the source tree, with its MIT licence); a host may load another
 * file of the same shape, naming its SHA-256.
 *
 * <p>The model file is read into memory, its SHA-256 checked, and the checked bytes loaded; DJL is kept
 * offline and untracked. A bounded pool of predictors (a DJL {@link Predictor} is not thread-safe) serves
 * concurrent callers: a caller waits at most {@link Builder#maxWait} for one. Each call's native arrays live
 * in their own manager, freed before the call returns. The preprocessing is nsfwjs's, reproduced exactly
 * (scale to [0, 1], bilinear resize to 224x224 with corners aligned), so the probabilities are those nsfwjs
 * gives for the same pixels, within 0.01.
 *
 * <p>Thread-safe: build one and share it. Close it to free the model's native memory; closing waits (up to
 * {@link Builder#maxWait}) for calls in flight.
 */
public final class NsfwClassifier implements AutoCloseable {
  /** The SHA-256 of the built-in model file, {@code nsfwjs-mobilenet-v2.pt} (also in its {@code SHA256SUMS}). */
  public static final String BUILT_IN_SHA256 = "d8141dee1febeb333cec6f1860a02f75d8cd0bd89806c86aa7f0fe0c935c00e2";
  /** Predictors in the pool unless set: {@value}. */
  public static final int DEFAULT_PREDICTORS = 2;
  /** How long a caller waits for a free predictor unless set: 10 seconds. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);
  /** The most predictors a pool may hold. */
  public static final int MAX_PREDICTORS = 64;

  static final String BUILT_IN_RESOURCE = "nsfwjs-mobilenet-v2/nsfwjs-mobilenet-v2.pt";
  private static final Logger LOG = LoggerFactory.getLogger(NsfwClassifier.class);
  private static final Shape INPUT_SHAPE = new Shape(1, 3, NsfwjsInput.SIZE, NsfwjsInput.SIZE);
  private static final int INPUT_BYTES = NsfwjsInput.LENGTH * Float.BYTES;

  private final Model model;
  private final BlockingQueue<Slot> idle;
  private final int predictorCount;
  private final Duration maxWait;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NsfwClassifier(Builder b, byte[] modelBytes) throws IOException {
    DjlPrivacy.apply();
    this.predictorCount = b.predictors;
    this.maxWait = b.maxWait;
    this.description = b.modelName + " (sha256 " + b.sha256.substring(0, 12) + "...)";
    this.idle = new ArrayBlockingQueue<>(predictorCount);
    Model m = Model.newInstance("nsfwjs-mobilenet-v2", "PyTorch");
    try {
      m.load(new ByteArrayInputStream(modelBytes), Map.of());
      for (int i = 0; i < predictorCount; i++) {
        Predictor<NDList, NDList> p = m.newPredictor(new NoopTranslator());
        idle.add(new Slot(p, new float[NsfwjsInput.LENGTH], m.getNDManager().allocateDirect(INPUT_BYTES)));
        warmUp(m, p);
      }
    } catch (IOException | MalformedModelException | TranslateException | RuntimeException e) {
      idle.forEach(Slot::close);
      m.close();
      throw new IOException(description + " does not load as the nsfwjs classifier: " + e.getMessage(), e);
    }
    this.model = m;
    LOG.info("loaded NSFW classifier {} with {} predictors on {}", description, predictorCount,
        m.getNDManager().getDevice());
  }

  /**
   * A builder, by default for the built-in model.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Classifies a picture of any size (it is resized to 224x224 as nsfwjs does; only the RGB channels count).
   *
   * @param image the picture; not modified
   * @return the probability of each class
   * @throws NsfwClassificationException when the classifier is closed, stays busy past the wait, or fails
   */
  public NsfwScores classify(BufferedImage image) throws NsfwClassificationException {
    Objects.requireNonNull(image, "image");
    Slot slot = take();
    try (NDManager call = model.getNDManager().newSubManager()) {
      // The slot's own arrays: nothing of 600 KB allocated per call, and DJL takes a direct buffer as it is.
      NsfwjsInput.into(image, slot.scratch);
      slot.input.clear();
      slot.input.asFloatBuffer().put(slot.scratch);
      NDArray x = call.create(slot.input, INPUT_SHAPE, DataType.FLOAT32);
      NDList out = slot.predictor.predict(new NDList(x));
      // The outputs belong to the predictor's manager until attached: free them with this call's.
      out.attach(call);
      return NsfwScores.of(out.singletonOrThrow().toFloatArray());
    } catch (TranslateException | RuntimeException e) {
      throw new NsfwClassificationException("the NSFW classifier failed: " + e.getMessage(), e);
    } finally {
      idle.add(slot);
    }
  }

  private Slot take() throws NsfwClassificationException {
    if (closed.get()) {
      throw new NsfwClassificationException("the NSFW classifier is closed", null);
    }
    try {
      Slot p = idle.poll(maxWait.toNanos(), TimeUnit.NANOSECONDS);
      if (p == null) {
        throw new NsfwClassificationException("no NSFW predictor became free within " + maxWait, null);
      }
      return p;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NsfwClassificationException("interrupted while waiting for an NSFW predictor", e);
    }
  }

  private static void warmUp(Model m, Predictor<NDList, NDList> p) throws TranslateException {
    try (NDManager call = m.getNDManager().newSubManager()) {
      NDList out = p.predict(new NDList(call.zeros(INPUT_SHAPE)));
      out.attach(call);
      NDArray scores = out.singletonOrThrow();
      if (!scores.getShape().equals(new Shape(1, NsfwClass.values().length))) {
        throw new IllegalArgumentException("the model answers " + scores.getShape() + ", not (1, 5)");
      }
      NsfwScores.of(scores.toFloatArray());
    }
  }

  /** Frees the model and its predictors, after waiting up to the builder's {@code maxWait} for calls in flight. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Slot> back = new ArrayList<>();
    long until = System.nanoTime() + maxWait.toNanos();
    try {
      while (back.size() < predictorCount) {
        Slot p = idle.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (p == null) {
          LOG.warn("closing NSFW classifier {} with {} call(s) still running; their native memory is leaked",
              description, predictorCount - back.size());
          back.forEach(Slot::close);
          return;
        }
        back.add(p);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while closing NSFW classifier {}; native memory is leaked", description);
      back.forEach(Slot::close);
      return;
    }
    back.forEach(Slot::close);
    model.close();
  }

  /** A predictor and the input arrays it is fed from: one caller's at a time. */
  private record Slot(Predictor<NDList, NDList> predictor, float[] scratch, ByteBuffer input) {
    void close() {
      predictor.close();
    }
  }

  @Override
  public String toString() {
    return "NsfwClassifier{" + description + ", predictors=" + predictorCount + "}";
  }

  /**
   * Configures a classifier: which model file (default: the built-in one), how many predictors, how long a
   * caller waits. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Path file;
    private String modelName = "built-in " + BUILT_IN_RESOURCE;
    private String sha256 = BUILT_IN_SHA256;
    private int predictors = DEFAULT_PREDICTORS;
    private Duration maxWait = DEFAULT_MAX_WAIT;

    private Builder() {}

    /**
     * Loads a TorchScript file of the same shape instead of the built-in model (for example one a host
     * converted itself with {@code convert_nsfwjs.py}), refusing it unless its SHA-256 is {@code sha256}.
     *
     * @param file the TorchScript file
     * @param sha256 its SHA-256, 64 hex digits
     * @return this builder
     */
    public Builder model(Path file, String sha256) {
      this.file = Objects.requireNonNull(file, "file");
      this.sha256 = ModelFile.requireSha256(Objects.requireNonNull(sha256, "sha256"), "model sha256");
      this.modelName = file.toString();
      return this;
    }

    /**
     * How many predictors run at once, 1 to {@value NsfwClassifier#MAX_PREDICTORS}; default
     * {@value NsfwClassifier#DEFAULT_PREDICTORS}. Each costs a few megabytes of native memory.
     *
     * @param predictors the pool size
     * @return this builder
     */
    public Builder predictors(int predictors) {
      if (predictors < 1 || predictors > MAX_PREDICTORS) {
        throw new IllegalArgumentException("predictors must be 1.." + MAX_PREDICTORS + ": " + predictors);
      }
      this.predictors = predictors;
      return this;
    }

    /**
     * How long a caller waits for a free predictor before the call fails, 1 ms to 10 minutes; default 10 s.
     *
     * @param maxWait the longest wait
     * @return this builder
     */
    public Builder maxWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "maxWait");
      if (maxWait.toMillis() < 1 || maxWait.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("maxWait must be 1ms..10m: " + maxWait);
      }
      this.maxWait = maxWait;
      return this;
    }

    /**
     * Reads and verifies the model file, loads it and warms every predictor up.
     *
     * @return the classifier
     * @throws IOException when the file cannot be read, has another SHA-256, or is not a classifier of
     *     this shape
     */
    public NsfwClassifier build() throws IOException {
      byte[] bytes;
      if (file == null) {
        try (InputStream in = NsfwClassifier.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
          if (in == null) {
            throw new IOException("the built-in model " + BUILT_IN_RESOURCE + " is missing from the class path");
          }
          bytes = ModelFile.readVerified(in, sha256, modelName);
        }
      } else {
        try (InputStream in = Files.newInputStream(file)) {
          bytes = ModelFile.readVerified(in, sha256, modelName);
        }
      }
      return new NsfwClassifier(this, bytes);
    }
  }
}
