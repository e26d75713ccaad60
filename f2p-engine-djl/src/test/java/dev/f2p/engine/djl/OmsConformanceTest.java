package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.engine.djl.BundleVerificationException.Problem;
import dev.f2p.engine.djl.internal.Oms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The OMS v1.0 conformance bundles in {@code ../shared/oms-v1.0/v1.0}. */
class OmsConformanceTest {
  static final Path VECTORS = Path.of(System.getProperty("f2p.shared.dir", "../../shared"), "oms-v1.0", "v1.0");

  /** What each invalid bundle must be refused for. */
  static final Map<String, Problem> EXPECTED = Map.of(
      "empty.bundle.json", Problem.SIGNATURE_MALFORMED,
      "missing-envelope.bundle.json", Problem.SIGNATURE_MALFORMED,
      "missing-tlog-entries.bundle.json", Problem.SIGNATURE_MALFORMED,
      "missing-verification-material.bundle.json", Problem.SIGNATURE_MALFORMED,
      "wrong-predicate.bundle.json", Problem.STATEMENT_INVALID);

  static Stream<Path> valid() throws IOException {
    return list("valid");
  }

  static Stream<Path> invalid() throws IOException {
    return Stream.concat(list("invalid"), list("invalid-payload"));
  }

  private static Stream<Path> list(String dir) throws IOException {
    return Files.list(VECTORS.resolve(dir)).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void everyValidBundleParses(Path bundle) throws Exception {
    Oms.Parsed parsed = Oms.parse(Files.readAllBytes(bundle));
    assertThat(parsed.resources()).isNotEmpty();
    assertThat(parsed.computedRootDigest()).isEqualTo(parsed.subjectDigest());
  }

  @Test
  void theKeyBundleRootDigestRecomputes() throws Exception {
    Oms.Parsed parsed = Oms.parse(Files.readAllBytes(VECTORS.resolve("valid/key.bundle.json")));
    assertThat(parsed.method()).isEqualTo(Oms.Method.KEY);
    assertThat(parsed.computedRootDigest())
        .isEqualTo("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4");
    assertThat(parsed.ignorePaths()).contains("ignore-me");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void everyInvalidBundleIsRefusedPrecisely(Path bundle) throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    assertThat(EXPECTED).containsKey(bundle.getFileName().toString());
    assertThatThrownBy(() -> Oms.parse(bytes))
        .isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(EXPECTED.get(bundle.getFileName().toString())));
  }

  @Test
  void nonKeyMethodsAreRefusedAtVerificationWithAClearMessage() throws Exception {
    Oms.Parsed parsed = Oms.parse(Files.readAllBytes(VECTORS.resolve("valid/certificate.bundle.json")));
    assertThatThrownBy(() -> Oms.verifySignature(parsed, java.util.List.of()))
        .isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.SIGNATURE_UNSUPPORTED))
        .hasMessageContaining("only 'key'");
  }

  @Test
  void shardsAreRefusedWithAClearMessage() throws Exception {
    String statement = """
        {"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"m","digest":{"sha256":"x"}}],
         "predicateType":"https://model_signing/signature/v1.0",
         "predicate":{"resources":[{"name":"w:0:1","digest":"00","algorithm":"sha256"}],
          "serialization":{"method":"shards","hash_type":"sha256","shard_size":1,"allow_symlinks":false}}}""";
    String bundle = """
        {"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json",
         "verificationMaterial":{"publicKey":{"hint":"ab"}},
         "dsseEnvelope":{"payload":"%s","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AA=="}]}}"""
        .formatted(java.util.Base64.getEncoder().encodeToString(statement.getBytes()));
    assertThatThrownBy(() -> Oms.parse(bundle.getBytes()))
        .isInstanceOfSatisfying(BundleVerificationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.SIGNATURE_UNSUPPORTED))
        .hasMessageContaining("shards");
  }

  @Test
  void ourSignatureHasTheReferenceShape() throws Exception {
    var ours = com.google.gson.JsonParser.parseString(
        Files.readString(TestBundles.SINGLE_PASS.resolve("model.sig"))).getAsJsonObject();
    var reference = com.google.gson.JsonParser.parseString(
        Files.readString(VECTORS.resolve("valid/key.bundle.json"))).getAsJsonObject();
    assertThat(ours.keySet()).isEqualTo(reference.keySet());
    assertThat(ours.getAsJsonObject("verificationMaterial").keySet())
        .isEqualTo(reference.getAsJsonObject("verificationMaterial").keySet());
    assertThat(ours.getAsJsonObject("dsseEnvelope").keySet())
        .isEqualTo(reference.getAsJsonObject("dsseEnvelope").keySet());
    Oms.Parsed parsed = Oms.parse(Files.readAllBytes(TestBundles.SINGLE_PASS.resolve("model.sig")));
    assertThat(parsed.ignorePaths()).contains(".git", "model.sig");
  }
}
