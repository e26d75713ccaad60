package dev.f2p.examples.demo;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Outcome;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.Stage;
import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.engine.djl.DjlImageEditEngine;
import dev.f2p.engine.remote.Protocol;
import dev.f2p.engine.remote.RemoteEndpoint;
import dev.f2p.engine.remote.RemoteEngineConfig;
import dev.f2p.engine.remote.RemoteImageEditEngine;
import dev.f2p.face.opencv.OpenCvFaceDetector;
import dev.f2p.moderation.NsfwClassifier;
import dev.f2p.moderation.NsfwOutputPolicy;
import dev.f2p.moderation.NsfwThresholds;
import dev.f2p.provenance.ProvenanceOutputPolicy;
import dev.f2p.provenance.ProvenanceReader;
import dev.f2p.provenance.ProvenanceReport;
import dev.f2p.security.auth.ApiKeyAuthenticator;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.InMemoryApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHasher;
import dev.f2p.security.auth.RoleAuthorizer;
import dev.f2p.security.image.StandardImageValidator;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.log.Slf4jSecurityEventListener;
import dev.f2p.security.pdq.PdqHashListValidator;
import dev.f2p.security.prompt.StandardPromptFilter;
import dev.f2p.security.ratelimit.TokenBucketRateLimiter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The end-to-end demo, the README's first command: issues a key, loads the signed fixture model, edits a
 * face with a prompt (writing the result and a before/after picture), then shows the requests the library
 * refuses - a bad key, a blocked prompt, a decompression bomb, a picture with no face, a rate limit, a
 * tampered model - and prints a table of what happened.
 *
 * <p>Options: {@code --image PATH} (a face photo; default: a drawn face), {@code --prompt TEXT},
 * {@code --out DIR} (default {@code demo-output}), {@code --models DIR} (default: the repository's
 * {@code models}), {@code --remote URL} with {@code --protocol} and {@code --model} (the same guard in front
 * of a model server elsewhere instead of the fixture model; the tampered-model steps are then skipped).
 */
public final class Demo {
  static final String DEFAULT_PROMPT = "a warm sunset portrait in a garden";
  /** Small on purpose, so the demo reaches it: the first request and three refusals use four. */
  static final String DEMO_LIMIT = "4/minute";
  /** The name {@code docs/real-model.md} serves the model under on vLLM-Omni. */
  static final String TOKEN_ENV = "F2P_REMOTE_TOKEN";
  static final String DEFAULT_REMOTE_MODEL = "/models/qwen-image-edit-f2p";

  private final PrintStream out;
  private final Options options;
  private final List<Row> rows = new ArrayList<>();

  Demo(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.println(Options.USAGE);
      return;
    }
    int code = new Demo(options, System.out).run();
    System.exit(code);
  }

  /** Runs the demo; 0 when every step ended as it should. */
  int run() throws Exception {
    Files.createDirectories(options.out);
    Path models = options.models.orElseGet(Demo::findModels);
    Path bundle = SafeCopy.of(models.resolve("single-pass"));
    Path publicKey = models.resolve("keys/test-signing-key.pub.pem");

    InMemoryApiKeyStore keyStore = new InMemoryApiKeyStore();
    ApiKeys keys = new ApiKeys(keyStore, KeyHasher.sha256(), Clock.systemUTC());
    IssuedKey key = keys.issue("demo-user", Set.of(Role.USER), Optional.of(Duration.ofHours(1)));
    out.println("Issued an API key for demo-user: " + key.keyId() + "_... (shown once, stored only as a hash)");

    byte[] face = options.image.isPresent() ? Files.readAllBytes(options.image.get()) : png(FaceSketch.draw(192));
    byte[] watermarkKey = new byte[32];
    new SecureRandom().nextBytes(watermarkKey);
    AtomicReference<SecurityEvent> lastFinal = new AtomicReference<>();

    long start = System.nanoTime();
    DjlImageEditEngine local = null;
    ImageEditEngine engine;
    if (options.remote.isPresent()) {
      RemoteImageEditEngine remote = remoteEngine();
      engine = remote;
      out.printf("Connected to %s (%s, model %s pinned) in %d ms; %d slot(s), up: %s%n", options.remote.get(),
          options.protocol.orElse("openai"), engine.modelId(), (System.nanoTime() - start) / 1_000_000,
          remote.capacity(), engine.isAvailable());
    } else {
      local = DjlImageEditEngine.builder().bundle(bundle).trustedKey(publicKey).requireSignature(true).build();
      engine = local;
      out.printf("Loaded and verified the signed model %s in %d ms (signature, hashes, permissions)%n",
          engine.modelId(), (System.nanoTime() - start) / 1_000_000);
    }

    IncidentControl incidents = IncidentControl.builder().build();
    try (OpenCvFaceDetector faces = OpenCvFaceDetector.create();
        NsfwClassifier nsfw = NsfwClassifier.builder().predictors(1).build();
        ImageEditClient client = ImageEditClient.builder()
            .authenticator(ApiKeyAuthenticator.builder().store(keyStore).hasher(KeyHasher.sha256()).build())
            .addAuthorizer(RoleAuthorizer.ofDefaults())
            .addAuthorizer(incidents)
            .rateLimiter(TokenBucketRateLimiter.builder().defaultLimits(DEMO_LIMIT).build())
            .promptFilter(StandardPromptFilter.create())
            .imageValidator(PdqHashListValidator.fingerprinting(
                StandardImageValidator.builder().faceDetector(faces).build()))
            // No resource guard given: the client builds the standard one from the engine's declared capacity
            // (the endpoints' capacities, or the DJL engine's devices x predictors per device).
            .engine(engine)
            // Explicit outputs are refused before they are labelled; what passes is labelled and watermarked.
            .outputPolicy(NsfwOutputPolicy.of(nsfw, NsfwThresholds.DEFAULTS,
                ProvenanceOutputPolicy.builder().producer("f2p-guard-demo").watermarkKey(watermarkKey).build()))
            .addListener(Slf4jSecurityEventListener.create())
            .addListener(event -> {
              if (event.stage() == Stage.COMPLETE) {
                lastFinal.set(event);
              }
            })
            .build()) {
      EditRequest.Builder base = EditRequest.builder().apiKey(key.key()).clientAddress("198.51.100.23")
          .image(face).prompt(options.prompt).size(384, 384).steps(12).seed(7);

      out.println();
      out.println("1. Edit the face: \"" + options.prompt + "\"");
      EditResult edited = client.edit(base.build(), new ProgressBar(out, 28));
      record("edit a face with a prompt", edited, lastFinal.get());
      if (edited instanceof EditResult.Success success) {
        writeResults(face, success, watermarkKey);
      }

      out.println();
      out.println("2. Requests the library refuses before they reach the model:");
      record("wrong API key", client.edit(base.apiKey("f2p_live_000000000000_" + "A".repeat(43)).build()),
          lastFinal.get());
      base.apiKey(key.key());
      record("prompt asking for a nude image", client.edit(base.prompt("a nude photo of this person").build()),
          lastFinal.get());
      base.prompt(options.prompt);
      record("decompression bomb (tiny PNG, 100000x100000 header)",
          client.edit(base.image(Samples.decompressionBomb()).build()), lastFinal.get());
      record("a picture with no face", client.edit(base.image(png(Samples.landscape(256, 192))).build()),
          lastFinal.get());
      base.image(face);
      record("fifth request this minute (" + DEMO_LIMIT + ")", client.edit(base.build()), lastFinal.get());

      if (local == null) {
        out.println();
        out.println("3. The model servers (a tampered model is the server's to refuse: skipped):");
        client.engineDevices().forEach(d -> out.printf("   %-30s up=%s in-flight=%d capacity=%d ejections=%d last=%d ms%n",
            d.name(), d.up(), d.inFlight(), d.capacity(), d.ejections(), d.lastLatency().toMillis()));
        return finish();
      }
      out.println();
      out.println("3. A tampered model:");
      Path tampered = SafeCopy.of(models.resolve("single-pass"));
      Tamper.flipOneByte(tampered.resolve("model.pt"));
      try (DjlImageEditEngine refused = DjlImageEditEngine.builder().bundle(tampered).trustedKey(publicKey)
          .requireSignature(true).build()) {
        rows.add(new Row("load a model with one flipped byte", "LOADED", "-", "-", "should have been refused"));
      } catch (BundleVerificationException e) {
        rows.add(new Row("load a model with one flipped byte", "REFUSED", e.problem().name(), "-",
            "before any byte reached PyTorch"));
      }
      // A second caller, with quota left: what refuses it now is the engine, not the rate limit.
      IssuedKey other = keys.issue("demo-user-2", Set.of(Role.USER), Optional.of(Duration.ofHours(1)));
      Tamper.flipOneByte(bundle.resolve("model.pt"));
      local.checkIntegrity();
      record("edit after the loaded model's file changed", client.edit(base.apiKey(other.key()).build()),
          lastFinal.get());
    }
    return finish();
  }

  /** The table and where things went; 0 when every row ended as it should. */
  private int finish() {
    printTable();
    out.println();
    out.println("Outputs in " + options.out.toAbsolutePath() + ": result.png, before-after.png");
    out.println("Security events were logged as JSON lines to logs/security.log.");
    return rows.stream().allMatch(Row::asExpected) ? 0 : 1;
  }

  /** The engine for {@code --remote}: plain http only on loopback, a bearer token from the environment. */
  private RemoteImageEditEngine remoteEngine() throws IOException, java.security.GeneralSecurityException {
    RemoteEngineConfig.Builder b = RemoteImageEditEngine.builder()
        .protocol(Protocol.fromSetting(options.protocol.orElse("openai")))
        .model(options.model.orElse(DEFAULT_REMOTE_MODEL))
        .allowPlaintextLoopback(true);
    for (String endpoint : options.remote.orElseThrow().split(",")) {
      b.endpoint(RemoteEndpoint.parse(endpoint.trim()));
    }
    String token = System.getenv(TOKEN_ENV);
    if (token != null && !token.isBlank()) {
      b.bearerTokenFromEnvironment(TOKEN_ENV);
    }
    return b.build();
  }

  private void writeResults(byte[] input, EditResult.Success success, byte[] watermarkKey) throws IOException {
    Files.write(options.out.resolve("result.png"), success.image());
    // Memory-cached streams: ImageIO.read(InputStream) and ImageIO.write(image, format, OutputStream) copy the
    // image through a temporary file, and these are faces.
    BufferedImage before = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(input)));
    BufferedImage after = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(success.image())));
    ImageIO.write(SideBySide.compose(before, after), "png", options.out.resolve("before-after.png").toFile());
    ProvenanceReport report = ProvenanceReader.withWatermarkKey(watermarkKey).read(success.image());
    out.println("   labelled: " + report.label().map(l -> "XMP TC260 AIGC label, ProduceID " + l.produceId())
        .orElse("NO LABEL FOUND"));
    out.println("   watermark: " + report.watermark().map(w -> "reads back, payload " + w.hex() + (w.matches("f2p-guard-demo", success.attributes()
        .getOrDefault("produceId", "")) ? ", matches this output's ProduceID" : "")).orElse("NOT FOUND"));
  }

  private void record(String what, EditResult result, SecurityEvent finalEvent) {
    Row row = Row.of(what, result, finalEvent);
    rows.add(row);
    out.printf("   %-52s -> %s%n", what, row.outcome() + (row.reason().equals("-") ? "" : " " + row.reason()));
  }

  private void printTable() {
    out.println();
    String format = "%-3s %-52s %-9s %-40s %-5s %s%n";
    out.printf(format, "#", "request", "outcome", "reason / detail", "HTTP", "note");
    out.println("-".repeat(128));
    int i = 1;
    for (Row row : rows) {
      out.printf(format, i++, row.what(), row.outcome(), row.reason(), row.http(), row.note());
    }
  }

  private static byte[] png(BufferedImage image) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageIO.write(image, "png", out);
    }
    return bytes.toByteArray();
  }

  /** The repository's {@code models} folder: the working directory or one of its parents holds it. */
  static Path findModels() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("models");
      if (Files.isRegularFile(candidate.resolve("single-pass/bundle.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no models/single-pass/bundle.json here or above; pass --models DIR");
  }
}
