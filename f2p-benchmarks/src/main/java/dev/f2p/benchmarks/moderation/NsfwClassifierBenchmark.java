package dev.f2p.benchmarks.moderation;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import dev.f2p.moderation.NsfwClassifier;
import dev.f2p.moderation.NsfwScores;
import dev.f2p.moderation.internal.NsfwjsInput;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
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
 * The output classifier: {@link NsfwClassifier#classify} on a 512x512 output (nsfwjs's preprocessing, the
 * resize to 224x224 included, the pool, a request-scoped manager, the forward pass, the scores) against
 * DJL's bare forward pass of the same TorchScript file on an already prepared [1, 3, 224, 224] tensor.
 * Targets: {@code classify512} under 30 ms; {@code classify512 / bareForward} at most 1.10.
 * {@code preprocess512} shows the preprocessing alone. Run from the repository root (reads
 * {@code models/nsfwjs-mobilenet-v2}; {@code -Df2p.models=DIR} elsewhere).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
// One intra-op thread for both: on a shared machine the ratio is then about our code, not the scheduler.
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"})
public class NsfwClassifierBenchmark {
  private NsfwClassifier classifier;
  private BufferedImage output;
  private Model model;
  private Predictor<NDList, NDList> predictor;
  private NDManager manager;
  private NDList prepared;

  @Setup
  public void setUp() throws Exception {
    classifier = NsfwClassifier.builder().predictors(1).build();
    output = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(1);
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        output.setRGB(x, y, random.nextInt(0xffffff));
      }
    }
    Path dir = Path.of(System.getProperty("f2p.models", "models")).resolve("nsfwjs-mobilenet-v2");
    model = Model.newInstance("bare", "PyTorch");
    model.load(dir, "nsfwjs-mobilenet-v2.pt");
    predictor = model.newPredictor(new NoopTranslator());
    manager = NDManager.newBaseManager("PyTorch");
    prepared = new NDList(manager.create(NsfwjsInput.of(output), new Shape(1, 3, NsfwjsInput.SIZE, NsfwjsInput.SIZE)));
  }

  @Benchmark
  public NsfwScores classify512() throws Exception {
    return classifier.classify(output);
  }

  @Benchmark
  public float[] bareForward() throws Exception {
    NDList out = predictor.predict(prepared);
    try {
      return out.singletonOrThrow().toFloatArray();
    } finally {
      out.close();
    }
  }

  @Benchmark
  public float[] preprocess512() {
    return NsfwjsInput.of(output);
  }

  @TearDown
  public void tearDown() {
    classifier.close();
    prepared.close();
    manager.close();
    predictor.close();
    model.close();
  }
}
