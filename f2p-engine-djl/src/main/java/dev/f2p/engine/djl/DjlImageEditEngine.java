package dev.f2p.engine.djl;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.OptionalLong;
import java.lang.management.MemoryUsage;
import dev.f2p.core.spi.CapacityPlan;
import dev.f2p.core.spi.DeviceStatus;
import ai.djl.util.cuda.CudaUtils;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.f2p.core.Outcome;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Severity;
import dev.f2p.core.Stage;
import dev.f2p.core.internal.BuilderOptions;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ProgressListener;
import dev.f2p.core.spi.SecurityEventPublisher;
import dev.f2p.core.spi.SecurityEventSource;
import dev.f2p.engine.djl.internal.GpuPackaging;
import dev.f2p.engine.djl.internal.BundleCheck;
import dev.f2p.engine.djl.internal.ComponentReader;
import dev.f2p.engine.djl.internal.DjlOffline;
import dev.f2p.engine.djl.internal.ImageTensors;
import dev.f2p.engine.djl.internal.Manifest;
import dev.f2p.engine.djl.internal.ModelPipeline;
import dev.f2p.engine.djl.internal.PromptEncoder;
import dev.f2p.engine.djl.internal.Slot;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DJL PyTorch engine over a verified model bundle (see {@code docs/model-bundle.md}).
 *
 * <p>{@link Builder#build()} verifies the bundle (hashes, layout, permissions, the OMS signature against the
 * trusted keys), decrypts encrypted components into memory, loads every component on every chosen device
 * (all GPUs when there are any, else the CPU; or the one pinned), makes a bounded pool of predictor sets
 * ({@link Builder#predictorsPerDevice} per device) and warms each up. That pool is the engine's declared
 * capacity ({@link #capacityPlan()}), which the client's resource guard is built from: the guard admits at
 * most that many at once, and each lease names the device the request then runs on. A request borrows one set, runs with
 * its arrays in a request-scoped manager that is closed when it ends (so no native memory outlives it),
 * reports progress after each step and stops with {@link ReasonCode#TIMEOUT} between steps once past its
 * deadline. The same seed, input and device give the same output bytes.
 *
 * <p>An integrity monitor re-verifies the bundle on a schedule; when anything changed the engine becomes
 * unavailable for good (every request refused with {@link ReasonCode#ENGINE_UNAVAILABLE}) and publishes a
 * {@link Stage#MODEL_INTEGRITY} event with detail {@code MODEL_TAMPERED}.
 *
 * <p>Thread-safe: build one and share it. Close it to free the models and stop the monitor.
 */
public final class DjlImageEditEngine implements ImageEditEngine, SecurityEventSource {
  /** Predictor sets per device when not set: two requests in flight per device. */
  public static final int DEFAULT_PREDICTORS_PER_DEVICE = 2;
  /** How often the bundle is re-verified when not set. */
  public static final Duration DEFAULT_INTEGRITY_INTERVAL = Duration.ofMinutes(5);
  /** The detail of the event published when the bundle changed after load. */
  public static final String MODEL_TAMPERED = "MODEL_TAMPERED";
  private static final Logger LOG = LoggerFactory.getLogger(DjlImageEditEngine.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
  /** Longest wait for a free predictor set, whatever the deadline: bounded waits only. */
  private static final Duration MAX_BORROW_WAIT = Duration.ofMinutes(10);

  private final BundleVerifier verifier;
  private final Path bundle;
  private final Manifest manifest;
  private final Map<String, String> loadedHashes;
  private final List<Device> devices;
  private final List<NDManager> managers;
  private final List<Model> models;
  private final PromptEncoder prompts;
  private final ModelPipeline pipeline;
  // One queue of predictor sets per device, so a request runs on the device its lease names.
  private final List<BlockingQueue<Slot>> slots;
  private final AtomicInteger nextDevice = new AtomicInteger();
  private final int perDevice;
  private final int slotCount;
  // Nanoseconds the last successful request took on each device, for the devices' status.
  private final AtomicLongArray lastLatencyNanos;
  private final Plan plan = new Plan();
  private final @Nullable ScheduledExecutorService monitor;
  private final AtomicBoolean tampered = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile SecurityEventPublisher publisher = SecurityEventPublisher.NONE;

  private DjlImageEditEngine(Builder b, BundleCheck.Result verified, List<Device> devices)
      throws BundleVerificationException, IOException {
    this.verifier = Objects.requireNonNull(b.verifier, "set by build()");
    this.bundle = verified.root();
    this.manifest = verified.manifest();
    this.loadedHashes = verified.hashes();
    this.devices = List.copyOf(devices);
    this.managers = new ArrayList<>();
    this.models = new ArrayList<>();
    this.perDevice = b.predictorsPerDevice;
    this.slotCount = devices.size() * perDevice;
    this.lastLatencyNanos = new AtomicLongArray(devices.size());
    this.slots = new ArrayList<>();
    for (int d = 0; d < devices.size(); d++) {
      slots.add(new ArrayBlockingQueue<>(b.predictorsPerDevice));
    }
    ComponentReader reader = new ComponentReader(bundle, manifest, verifier.keyProvider());
    PromptEncoder encoder = null;
    try {
      Optional<HuggingFaceTokenizer> tokenizer = Optional.empty();
      if (manifest.promptEncoding() == Manifest.PromptEncoding.TOKENIZER) {
        byte[] json = reader.read("tokenizer");
        try {
          tokenizer = Optional.of(HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), Map.of()));
        } catch (IOException | RuntimeException e) {
          throw new BundleVerificationException(BundleVerificationException.Problem.COMPONENT_INVALID,
              manifest.component("tokenizer").file(), "is not a Hugging Face tokenizer.json: " + e.getMessage(), e);
        }
      }
      encoder = new PromptEncoder(manifest.maxTokens(), tokenizer);
      Map<String, byte[]> modules = new LinkedHashMap<>();
      for (String name : manifest.kind().requiredComponents()) {
        if (!name.equals("tokenizer")) {
          modules.put(name, reader.read(name));
        }
      }
      for (Device device : devices) {
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        managers.add(manager);
        Map<String, Model> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> m : modules.entrySet()) {
          loaded.put(m.getKey(), load(m.getKey(), m.getValue(), device));
        }
        for (int i = 0; i < b.predictorsPerDevice; i++) {
          Map<String, Predictor<NDList, NDList>> predictors = new LinkedHashMap<>();
          loaded.forEach((name, model) -> predictors.put(name, model.newPredictor(new NoopTranslator())));
          slots.get(this.devices.indexOf(device)).add(new Slot(device, manager, predictors));
        }
      }
      modules.clear();
      this.prompts = encoder;
      this.pipeline = ModelPipeline.of(manifest, prompts);
      warmUp();
    } catch (BundleVerificationException | IOException | RuntimeException e) {
      freeNative(encoder);
      throw e;
    }
    this.monitor = b.integrityInterval.isZero() ? null : startMonitor(b.integrityInterval);
    LOG.info("loaded model {} from {} on {} ({} predictor sets){}", modelId(), bundle, devices, slotCount,
        verified.signer().map(s -> ", signed by key " + s).orElse(", signature NOT checked"));
  }

  private Model load(String component, byte[] bytes, Device device) throws BundleVerificationException {
    Model model = Model.newInstance(manifest.name() + "-" + component, device, "PyTorch");
    models.add(model);
    try {
      // From memory: an encrypted component is never written anywhere in clear.
      model.load(new ByteArrayInputStream(bytes), Map.of());
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new BundleVerificationException(BundleVerificationException.Problem.COMPONENT_INVALID,
          manifest.component(component).file(), "does not load as a TorchScript module: " + e.getMessage(), e);
    }
  }

  private void warmUp() throws IOException {
    BufferedImage grey = new BufferedImage(manifest.inputWidth(), manifest.inputHeight(), BufferedImage.TYPE_INT_RGB);
    EngineRequest warm = new EngineRequest("warm-up", grey, "a photo", "", manifest.inputWidth(),
        manifest.inputHeight(), 1, 1.0, 0L, Instant.MAX, Clock.systemUTC(), ProgressListener.NONE);
    for (Slot slot : slots.stream().flatMap(BlockingQueue::stream).toList()) {
      try (NDManager m = slot.newRequestManager()) {
        pipeline.run(slot, m, warm);
      } catch (EngineException | TranslateException | RuntimeException e) {
        throw new IOException("warm-up of " + manifest.id() + " on " + slot.device() + " failed: " + e.getMessage(), e);
      }
    }
  }

  private ScheduledExecutorService startMonitor(Duration every) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "f2p-bundle-integrity-" + manifest.name());
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, every.toMillis());
    s.scheduleWithFixedDelay(this::checkIntegrity, ms, ms, TimeUnit.MILLISECONDS);
    return s;
  }

  /**
   * A builder; {@link Builder#bundle} is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the model on the device the request's lease named ({@link EngineRequest#device()}), else on the
   * next device in turn, borrowing one of its predictor sets (waiting for one no longer than the deadline).
   *
   * @param request the allowed request, its deadline and its device
   * @return the output pixels at the size asked for, and the model's id
   * @throws EngineException {@link ReasonCode#ENGINE_UNAVAILABLE} when closed or tampered with,
   *     {@link ReasonCode#TIMEOUT} past the deadline, {@link ReasonCode#ENGINE_FAILURE} when inference fails
   */
  @Override
  public GeneratedImage edit(EngineRequest request) throws EngineException {
    if (!isAvailable()) {
      throw new EngineException(ReasonCode.ENGINE_UNAVAILABLE,
          tampered.get() ? "model bundle changed after load; engine disabled" : "engine is closed");
    }
    Slot slot = borrow(request);
    long start = System.nanoTime();
    try (NDManager m = slot.newRequestManager()) {
      BufferedImage out = pipeline.run(slot, m, withSafeProgress(request));
      GeneratedImage image = new GeneratedImage(ImageTensors.resize(out, request.width(), request.height()), modelId());
      lastLatencyNanos.set(devices.indexOf(slot.device()), System.nanoTime() - start);
      return image;
    } catch (TranslateException | RuntimeException e) {
      throw new EngineException(ReasonCode.ENGINE_FAILURE, "inference failed on " + slot.device() + ": " + e, e);
    } finally {
      slots.get(devices.indexOf(slot.device())).add(slot);
    }
  }

  /**
   * The device's queue: the one the guard's lease named, else the next in turn (a host without a
   * device-counting guard).
   */
  private BlockingQueue<Slot> queueFor(EngineRequest request) {
    int n = slots.size();
    int d = request.device().orElse(-1);
    return slots.get(d >= 0 && d < n ? d : Math.floorMod(nextDevice.getAndIncrement(), n));
  }

  private Slot borrow(EngineRequest request) throws EngineException {
    Instant now = request.clock().instant();
    // Far deadlines (Instant.MAX) would overflow a Duration in millis: cap the wait instead.
    long waitMs = request.deadline().isAfter(now.plus(MAX_BORROW_WAIT)) ? MAX_BORROW_WAIT.toMillis()
        : Math.max(0, Duration.between(now, request.deadline()).toMillis());
    try {
      Slot slot = queueFor(request).poll(waitMs, TimeUnit.MILLISECONDS);
      if (slot == null) {
        throw new EngineException(ReasonCode.TIMEOUT, "no predictor free before the deadline");
      }
      return slot;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(ReasonCode.TIMEOUT, "interrupted while waiting for a predictor", e);
    }
  }

  private static EngineRequest withSafeProgress(EngineRequest r) {
    ProgressListener listener = r.progress();
    ProgressListener safe = (step, total) -> {
      try {
        listener.onStep(step, total);
      } catch (RuntimeException e) {
        LOG.warn("request {}: progress listener threw; ignored", r.requestId(), e);
      }
    };
    return new EngineRequest(r.requestId(), r.image(), r.prompt(), r.negativePrompt(), r.width(), r.height(),
        r.steps(), r.guidanceScale(), r.seed(), r.deadline(), r.clock(), safe, r.device());
  }

  /**
   * The loaded model's id.
   *
   * @return the bundle manifest's name and version
   */
  @Override
  public String modelId() {
    return manifest.id();
  }

  /**
   * Whether requests are taken: loaded, not closed, and the bundle unchanged since load.
   *
   * @return {@code false} once closed or tampered with, for good
   */
  @Override
  public boolean isAvailable() {
    return !tampered.get() && !closed.get();
  }

  /**
   * Free memory on the engine's GPUs (the least free of them), from CUDA through DJL's {@code CudaUtils}.
   *
   * @return free bytes, or empty on the CPU or when CUDA cannot tell
   */
  @Override
  public OptionalLong freeDeviceMemoryBytes() {
    long least = Long.MAX_VALUE;
    for (Device device : devices) {
      if (!device.isGpu()) {
        return OptionalLong.empty();
      }
      try {
        MemoryUsage usage = CudaUtils.getGpuMemory(device);
        least = Math.min(least, usage.getMax() - usage.getUsed());
      } catch (RuntimeException | LinkageError e) {
        return OptionalLong.empty();
      }
    }
    return least == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(Math.max(0, least));
  }

  /**
   * The devices the model runs on, such as {@code [cpu()]} or {@code [gpu(0), gpu(1)]}.
   *
   * @return DJL's names of the devices, in the order of the {@link #capacityPlan() plan}'s indices
   */
  public List<String> devices() {
    return devices.stream().map(Device::toString).toList();
  }

  /**
   * The engine's capacity, the one owner of it: one device per device the model was loaded on (in the order
   * of {@link #devices()}), each with {@link Builder#predictorsPerDevice} slots, always available (a closed
   * or tampered engine refuses requests itself, with {@link ReasonCode#ENGINE_UNAVAILABLE}). The client's
   * resource guard is built from it, so it admits at most {@code devices x predictorsPerDevice} at once and
   * each lease names the device the request runs on.
   *
   * @return the plan, always present
   */
  @Override
  public Optional<CapacityPlan> capacityPlan() {
    return Optional.of(plan);
  }

  /** The pool seen as a {@link CapacityPlan}: devices and slots fixed at load, status live. */
  private final class Plan implements CapacityPlan {
    @Override
    public int devices() {
      return devices.size();
    }

    @Override
    public int slots(int device) {
      Objects.checkIndex(device, devices.size());
      return perDevice;
    }

    @Override
    public boolean available(int device) {
      Objects.checkIndex(device, devices.size());
      return true;
    }

    @Override
    public String name(int device) {
      Device d = devices.get(device);
      return d.isGpu() ? "gpu" + d.getDeviceId() : "cpu";
    }

    @Override
    public List<DeviceStatus> status() {
      List<DeviceStatus> out = new ArrayList<>(devices.size());
      for (int d = 0; d < devices.size(); d++) {
        int inFlight = Math.max(0, perDevice - slots.get(d).size());
        out.add(new DeviceStatus(d, name(d), isAvailable(), inFlight, perDevice, 0,
            Duration.ofNanos(lastLatencyNanos.get(d))));
      }
      return List.copyOf(out);
    }
  }

  /**
   * Re-verifies the bundle now, as the monitor does on its schedule. On any change the engine turns
   * unavailable and publishes a {@code MODEL_TAMPERED} event, once.
   *
   * @return {@code true} when the bundle is unchanged (and the engine was not already tampered with)
   */
  public boolean checkIntegrity() {
    if (tampered.get() || closed.get()) {
      return !tampered.get();
    }
    String problem;
    try {
      // The same verification as at load (signature included), and the very files that were loaded.
      if (verifier.check(bundle).hashes().equals(loadedHashes)) {
        return true;
      }
      problem = "files differ from those loaded";
    } catch (BundleVerificationException e) {
      problem = String.valueOf(e.getMessage());
    } catch (IOException | RuntimeException e) {
      problem = "cannot re-read the bundle: " + e;
    }
    if (tampered.compareAndSet(false, true)) {
      LOG.error("model {} at {} changed after load ({}); engine disabled", modelId(), bundle, problem);
      SecurityEvent event = SecurityEvent.builder(Stage.MODEL_INTEGRITY, Outcome.NOTICE)
          .severity(Severity.CRITICAL)
          .reason(ReasonCode.ENGINE_UNAVAILABLE)
          .detail(MODEL_TAMPERED)
          .attribute("model", modelId())
          .attribute("problem", problem)
          .build();
      try {
        publisher.publish(event);
      } catch (RuntimeException e) {
        LOG.warn("publishing the MODEL_TAMPERED event failed", e);
      }
    }
    return false;
  }

  /**
   * Where the {@code MODEL_TAMPERED} event goes; the client attaches its publisher.
   *
   * @param publisher the client's publisher
   */
  @Override
  public void attach(SecurityEventPublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
  }

  /**
   * Stops the integrity monitor, waits up to 30 s for running requests to give their predictor sets back,
   * then frees the models and their native memory. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (monitor != null) {
      monitor.shutdownNow();
      try {
        if (!monitor.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
          LOG.warn("the integrity monitor of {} did not stop in time", modelId());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Take every slot back before freeing native memory, so no request runs on a freed model.
    List<Slot> back = new ArrayList<>();
    long until = System.nanoTime() + CLOSE_WAIT.toNanos();
    try {
      while (back.size() < slotCount) {
        Slot s = slots.get(back.size() / (slotCount / slots.size()))
            .poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (s == null) {
          LOG.warn("closing {} with {} request(s) still running; their native memory is leaked", modelId(),
              slotCount - back.size());
          return;
        }
        back.add(s);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    back.forEach(Slot::close);
    freeNative(prompts);
  }

  private void freeNative(@Nullable PromptEncoder encoder) {
    slots.forEach(q -> q.forEach(Slot::close));
    models.forEach(Model::close);
    managers.forEach(NDManager::close);
    if (encoder != null) {
      encoder.close();
    }
  }

  /**
   * Builds a {@link DjlImageEditEngine}: {@link #bundle} is required; everything else has a safe default.
   * Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Path bundleDir;
    private final BundleVerifier.Builder verifierBuilder = BundleVerifier.builder();
    private @Nullable BundleVerifier verifier;
    private @Nullable String device;
    private boolean requireGpu;
    private int predictorsPerDevice = DEFAULT_PREDICTORS_PER_DEVICE;
    private Duration integrityInterval = DEFAULT_INTEGRITY_INTERVAL;

    private final BuilderOptions options = new BuilderOptions();

    private Builder() {}

    /**
     * The bundle directory. Required; set once.
     *
     * @param directory the bundle's directory
     * @return this builder
     */
    public Builder bundle(Path directory) {
      bundleDir = options.once("bundle", directory);
      return this;
    }

    /**
     * Trusts OMS signatures by this ECDSA public key; with any key set a signature is required by default.
     *
     * @param key the public key
     * @return this builder
     */
    public Builder trustedKey(java.security.PublicKey key) {
      verifierBuilder.trustedKey(key);
      return this;
    }

    /**
     * Trusts OMS signatures by the public key in this PEM file.
     *
     * @param pemFile the PEM file
     * @return this builder
     * @throws IOException when the file cannot be read or holds no public key
     */
    public Builder trustedKey(Path pemFile) throws IOException {
      verifierBuilder.trustedKey(pemFile);
      return this;
    }

    /**
     * Whether unsigned bundles are refused; default {@code true} when a trusted key is set. A signed bundle
     * is verified or refused unless this is explicitly {@code false} (then loaded with its signature NOT
     * checked, logged at WARN). Set once.
     *
     * @param require whether a signature is required
     * @return this builder
     */
    public Builder requireSignature(boolean require) {
      verifierBuilder.requireSignature(require);
      return this;
    }

    /**
     * Where the key for encrypted components comes from. Set once.
     *
     * @param provider the key provider
     * @return this builder
     */
    public Builder keyProvider(KeyProvider provider) {
      verifierBuilder.keyProvider(provider);
      return this;
    }

    /**
     * Pins one device, such as {@code cpu}, {@code gpu0} or {@code gpu1}. Default: every GPU when there
     * is one, else the CPU. Set once.
     *
     * @param name {@code cpu} or {@code gpuN}
     * @return this builder
     */
    public Builder device(String name) {
      options.once("device");
      String d = Objects.requireNonNull(name, "name").trim().toLowerCase(java.util.Locale.ROOT);
      if (!d.matches("cpu|gpu\\d{1,2}")) {
        throw new IllegalArgumentException("device must be cpu or gpuN: " + name);
      }
      device = d;
      return this;
    }

    /**
     * Fails the load when no GPU is present (instead of running on the CPU). Default {@code false}.
     *
     * @param require whether a GPU is required
     * @return this builder
     */
    public Builder requireGpu(boolean require) {
      requireGpu = require;
      return this;
    }

    /**
     * Predictor sets, so requests in flight, per device: 1 to 64; default
     * {@value #DEFAULT_PREDICTORS_PER_DEVICE}. With the devices, the engine's declared capacity
     * ({@link DjlImageEditEngine#capacityPlan()}), which the resource guard is sized from. Set once.
     *
     * @param n the sets per device
     * @return this builder
     */
    public Builder predictorsPerDevice(int n) {
      options.once("predictorsPerDevice");
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("predictorsPerDevice must be 1 to 64: " + n);
      }
      predictorsPerDevice = n;
      return this;
    }

    /**
     * How often the bundle is re-verified; {@link Duration#ZERO} turns the monitor off. Default
     * {@link #DEFAULT_INTEGRITY_INTERVAL}.
     *
     * @param every the interval, not negative
     * @return this builder
     */
    public Builder integrityCheckEvery(Duration every) {
      if (Objects.requireNonNull(every, "every").isNegative()) {
        throw new IllegalArgumentException("integrityCheckEvery must not be negative: " + every);
      }
      integrityInterval = every;
      return this;
    }

    /**
     * Verifies, decrypts, loads and warms up the bundle.
     *
     * @return the engine, ready for requests
     * @throws BundleVerificationException when the bundle is refused or a component does not load
     * @throws IOException when the bundle cannot be read or the warm-up fails
     * @throws IllegalStateException when a GPU is required or pinned and not present
     */
    public DjlImageEditEngine build() throws BundleVerificationException, IOException {
      if (bundleDir == null) {
        throw new IllegalStateException("bundle(Path) is required");
      }
      if (requireGpu && "cpu".equals(device)) {
        throw new IllegalStateException("requireGpu(true) contradicts device(cpu)");
      }
      DjlOffline.configure();
      verifier = verifierBuilder.build();
      BundleCheck.Result verified = verifier.check(bundleDir);
      BundleVerifier.warnIfUnchecked(verified);
      return new DjlImageEditEngine(this, verified, availableDevices());
    }

    private List<Device> availableDevices() {
      int gpus = Engine.getEngine("PyTorch").getGpuCount();
      GpuPackaging.warnIfMismatched(GpuPackaging.SYSTEM, gpus);
      if (device != null) {
        if (device.startsWith("gpu")) {
          int id = Integer.parseInt(device.substring(3));
          if (id >= gpus) {
            throw new IllegalStateException("device " + device + " pinned but " + gpus + " GPU(s) present");
          }
          return List.of(Device.gpu(id));
        }
        return List.of(Device.cpu());
      }
      if (gpus == 0) {
        if (requireGpu) {
          throw new IllegalStateException("requireGpu(true) but no GPU is present");
        }
        return List.of(Device.cpu());
      }
      List<Device> all = new ArrayList<>();
      for (int i = 0; i < gpus; i++) {
        all.add(Device.gpu(i));
      }
      return all;
    }
  }
}
