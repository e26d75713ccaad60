package dev.f2p.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The port is faithful: the same pixels through nsfwjs 4.4.0 itself (Node, the pure-JavaScript
 * {@code @tensorflow/tfjs} CPU backend, {@code src/test/node/classify.cjs}) and through
 * {@link NsfwClassifier} (Java preprocessing, the TorchScript file on DJL) give every class probability
 * within 0.01.
 *
 * <p>Needs Node and the packages of {@code src/test/node/package-lock.json} installed: {@code .ci/run} installs
 * them and sets {@code F2P_NSFWJS_MODULES} (the {@code node_modules} folder) and {@code F2P_REQUIRE_NSFWJS=true},
 * which turns a missing Node or package into a failure. Elsewhere the test is skipped, saying why.
 */
class NsfwjsFaithfulnessTest {
  private static final double TOLERANCE = 0.01;
  private static final Pattern RESULT = Pattern.compile(
      "\\{\"name\":\"([^\"]+)\",\"probabilities\":\\[([^\\]]+)\\]\\}");

  @TempDir
  Path work;

  @Test
  void everyClassProbabilityMatchesNsfwjsWithinOneHundredth() throws Exception {
    Path modules = nodeModules();
    Map<String, BufferedImage> pictures = new LinkedHashMap<>();
    TestImages.SHARED.forEach(name -> pictures.put(name, TestImages.shared(name)));
    // The engine's output type, read through the classifier's fast path.
    pictures.put(TestImages.PORTRAIT + " as TYPE_INT_RGB", TestImages.intRgb(TestImages.shared(TestImages.PORTRAIT)));
    TestImages.CRAFTED.forEach(name -> pictures.put(name, TestImages.crafted(name)));

    // Pure-JavaScript tfjs is slow: let it run while the Java side classifies.
    Process node = startNsfwjs(modules, pictures);
    Map<String, NsfwScores> ported = new LinkedHashMap<>();
    Map<String, float[]> reference;
    try {
      NsfwClassifier classifier = SharedClassifier.get();
      for (Map.Entry<String, BufferedImage> p : pictures.entrySet()) {
        ported.put(p.getKey(), classifier.classify(p.getValue()));
      }
      reference = nsfwjsResults(node, pictures);
    } finally {
      node.destroyForcibly();
    }

    double maxDifference = 0;
    double[] maxPerClass = new double[NsfwClass.values().length];
    StringBuilder table = new StringBuilder();
    for (Map.Entry<String, NsfwScores> p : ported.entrySet()) {
      NsfwScores ours = p.getValue();
      float[] theirs = reference.get(p.getKey());
      assertThat(theirs).as("nsfwjs result for %s", p.getKey()).isNotNull().hasSize(5);
      for (NsfwClass c : NsfwClass.values()) {
        double d = Math.abs(ours.probability(c) - theirs[c.ordinal()]);
        maxPerClass[c.ordinal()] = Math.max(maxPerClass[c.ordinal()], d);
        maxDifference = Math.max(maxDifference, d);
        assertThat(d).as("%s, %s: ours %s, nsfwjs %s", p.getKey(), c.label(), ours.probability(c),
            theirs[c.ordinal()]).isLessThanOrEqualTo(TOLERANCE);
      }
      table.append(String.format(Locale.ROOT, "  %-40s %s%n", p.getKey(), ours));
    }
    StringBuilder perClass = new StringBuilder();
    for (NsfwClass c : NsfwClass.values()) {
      perClass.append(String.format(Locale.ROOT, " %s %.2e", c.label(), maxPerClass[c.ordinal()]));
    }
    System.out.printf(Locale.ROOT, "nsfwjs faithfulness over %d pictures: max difference %.2e;%s%n%s",
        pictures.size(), maxDifference, perClass, table);
    assertThat(pictures).hasSizeGreaterThanOrEqualTo(10);
  }

  /** Starts classify.cjs on raw RGB files written from the very pixels the Java side classifies. */
  private Process startNsfwjs(Path modules, Map<String, BufferedImage> pictures) throws IOException {
    StringBuilder manifest = new StringBuilder("[");
    int i = 0;
    for (Map.Entry<String, BufferedImage> p : pictures.entrySet()) {
      BufferedImage image = p.getValue();
      Path raw = work.resolve("picture-" + i++ + ".rgb");
      Files.write(raw, rgbBytes(image));
      manifest.append(manifest.length() > 1 ? "," : "").append(String.format(Locale.ROOT,
          "{\"name\":\"%s\",\"file\":\"%s\",\"width\":%d,\"height\":%d}", p.getKey(), raw, image.getWidth(),
          image.getHeight()));
    }
    Path manifestFile = work.resolve("manifest.json");
    Files.writeString(manifestFile, manifest.append(']'));
    return new ProcessBuilder("node", Path.of("src/test/node/classify.cjs").toAbsolutePath().toString(),
        modules.toString(), manifestFile.toString())
        .redirectOutput(work.resolve("out.json").toFile()).redirectError(work.resolve("err.txt").toFile()).start();
  }

  private Map<String, float[]> nsfwjsResults(Process node, Map<String, BufferedImage> pictures) throws Exception {
    Path stdout = work.resolve("out.json");
    Path stderr = work.resolve("err.txt");
    if (!node.waitFor(3, TimeUnit.MINUTES)) {
      node.destroyForcibly();
      fail("nsfwjs did not finish within 3 minutes");
    }
    assertThat(node.exitValue()).as("nsfwjs failed: %s", Files.readString(stderr)).isZero();
    String json = Files.readString(stdout, StandardCharsets.UTF_8);
    assertThat(json).as("tfjs backend").contains("\"backend\":\"cpu\"");
    Map<String, float[]> results = new LinkedHashMap<>();
    Matcher m = RESULT.matcher(json);
    while (m.find()) {
      String[] parts = m.group(2).split(",");
      float[] probabilities = new float[parts.length];
      for (int k = 0; k < parts.length; k++) {
        probabilities[k] = Float.parseFloat(parts[k]);
      }
      results.put(m.group(1), probabilities);
    }
    assertThat(results.keySet()).containsExactlyElementsOf(pictures.keySet());
    return results;
  }

  /** R, G, B per pixel, row by row, read pixel by pixel (independently of the classifier's row reader). */
  private static byte[] rgbBytes(BufferedImage image) {
    byte[] out = new byte[image.getWidth() * image.getHeight() * 3];
    int k = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        out[k++] = (byte) (rgb >> 16);
        out[k++] = (byte) (rgb >> 8);
        out[k++] = (byte) rgb;
      }
    }
    return out;
  }

  /** The node_modules folder with nsfwjs and tfjs, or a skip (a failure where CI requires it). */
  private static Path nodeModules() throws IOException, InterruptedException {
    boolean required = "true".equals(System.getenv("F2P_REQUIRE_NSFWJS"));
    String configured = System.getenv("F2P_NSFWJS_MODULES");
    Path modules = configured == null || configured.isBlank()
        ? Path.of(System.getProperty("user.home"), ".cache", "f2p", "nsfwjs", "node_modules")
        : Path.of(configured);
    List<String> missing = new ArrayList<>();
    if (!nodeRuns()) {
      missing.add("node is not on the PATH");
    }
    for (String pkg : List.of("nsfwjs", "@tensorflow/tfjs")) {
      if (!Files.isRegularFile(modules.resolve(pkg).resolve("package.json"))) {
        missing.add(pkg + " is not installed in " + modules);
      }
    }
    if (!missing.isEmpty()) {
      String why = String.join("; ", missing) + " (install with: npm ci --ignore-scripts --prefix "
          + modules.getParent() + " after copying f2p-moderation/src/test/node/package*.json there, "
          + "or set F2P_NSFWJS_MODULES)";
      if (required) {
        fail("F2P_REQUIRE_NSFWJS is set but the nsfwjs reference cannot run: " + why);
      }
      Assumptions.abort("skipped, the nsfwjs reference cannot run here: " + why);
    }
    return modules;
  }

  private static boolean nodeRuns() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
