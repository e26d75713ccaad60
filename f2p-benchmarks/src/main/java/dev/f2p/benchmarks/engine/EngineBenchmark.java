package dev.f2p.benchmarks.engine;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ProgressListener;
import dev.f2p.engine.djl.DjlImageEditEngine;
import dev.f2p.engine.djl.internal.ImageTensors;
import dev.f2p.engine.djl.internal.Manifest;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's overhead: a whole engine call on a 512x512 image (pixels to tensor, prompt to ids,
 * forward, tensor to pixels, request-scoped memory) against DJL's bare forward pass on ready tensors of
 * the same shapes, single-pass model on the CPU. Target: {@code engineEdit / bareForward < 1.10}.
 * Run from the repository root (reads {@code models/single-pass}; {@code -Df2p.models=DIR} elsewhere).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
// One intra-op thread for both: on a shared machine the ratio is then about the engine, not the scheduler.
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"})
public class EngineBenchmark {
  private DjlImageEditEngine engine;
  private EngineRequest request;
  private Model model;
  private Predictor<NDList, NDList> predictor;
  private NDManager manager;
  private NDList inputs;

  @Setup
  public void setUp() throws Exception {
    Path bundle = Path.of(System.getProperty("f2p.models", "models")).resolve("single-pass");
    engine = DjlImageEditEngine.builder().bundle(bundle)
        .trustedKey(bundle.resolveSibling("keys").resolve("test-signing-key.pub.pem")).predictorsPerDevice(1)
        .integrityCheckEvery(Duration.ZERO).build();
    BufferedImage image = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(1);
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        image.setRGB(x, y, random.nextInt(0xffffff));
      }
    }
    request = new EngineRequest("bench", image, "warm golden sunset portrait", "", 512, 512, 1, 1.0, 1L,
        Instant.MAX, Clock.systemUTC(), ProgressListener.NONE);
    model = Model.newInstance("bare", "PyTorch");
    model.load(bundle, "model.pt");
    predictor = model.newPredictor(new NoopTranslator());
    manager = NDManager.newBaseManager("PyTorch");
    float[] pixels = new float[3 * 512 * 512];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    long[] ids = new long[77];
    for (int i = 0; i < 27; i++) {
      ids[i] = 'a' + i % 26;
    }
    inputs = new NDList(manager.create(pixels, new Shape(1, 3, 512, 512)), manager.create(ids, new Shape(1, 77)));
  }

  @TearDown
  public void tearDown() {
    predictor.close();
    model.close();
    manager.close();
    engine.close();
  }

  @Benchmark
  public GeneratedImage engineEdit() throws Exception {
    return engine.edit(request);
  }

  /** The engine's own work around the forward pass, alone: what the ratio's excess is made of. */
  @Benchmark
  public BufferedImage prePostProcessing() {
    try (NDManager m = manager.newSubManager()) {
      NDArray in = m.create(ImageTensors.toPlanar(ImageTensors.rgb(request.image(), 512, 512),
          Manifest.Range.ZERO_ONE), new Shape(1, 3, 512, 512));
      return ImageTensors.fromPlanar(in.toFloatArray(), 512, 512, Manifest.Range.ZERO_ONE);
    }
  }

  @Benchmark
  public long bareForward() throws Exception {
    try (NDList out = predictor.predict(inputs)) {
      return out.head().getShape().size();
    }
  }
}
