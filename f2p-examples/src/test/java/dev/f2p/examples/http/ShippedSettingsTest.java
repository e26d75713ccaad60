package dev.f2p.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.Role;
import dev.f2p.engine.djl.BundleTools;
import dev.f2p.provenance.ProvenanceReader;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.FileApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHasher;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings file the repository ships, with every real policy: keys from the key file, roles,
 * incident control behind the admin endpoints, token buckets, the prompt filter, the image validator with
 * OpenCV and PDQ, the guard, the signed DJL model, provenance labels, metrics.
 */
class ShippedSettingsTest {
  @TempDir Path dir;

  @Test
  void theShippedSettingsRunTheRealPoliciesEndToEnd() throws Exception {
    Path keysFile = dir.resolve("keys.properties");
    ApiKeys keys = new ApiKeys(FileApiKeyStore.open(keysFile), KeyHasher.sha256(), Clock.systemUTC());
    IssuedKey user = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    IssuedKey admin = keys.issue("ops", Set.of(Role.ADMIN), Optional.empty());
    Path settings = settingsFor(dir);
    Path bundle = BundleTools.copyWithSafePermissions(Path.of("../models/single-pass"), dir.resolve("bundle"));

    try (HttpService service = HttpServiceMain.start(HttpServiceMain.Options.parse(new String[] {
        "--settings", settings.toString(), "--keys", keysFile.toString(), "--bundle", bundle.toString(),
        "--port", "0"}))) {
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + service.port());
      byte[] face = Files.readAllBytes(Path.of(System.getProperty("f2p.shared.dir"), "images/faces/astronaut-face.png"));
      byte[] form = new Multipart().file("image", face).text("prompt", "a portrait in warm light")
          .text("width", "256").text("height", "256").text("seed", "3").build();

      HttpResponse<byte[]> ok = http.send(generate(base, user.key(), form), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(ok.statusCode()).as(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      assertThat(ok.headers().firstValue("Content-Type")).contains("image/png");
      assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValueSatisfying(v -> assertThat(v).contains("q=10"));
      assertThat(ProvenanceReader.labelsOnly().read(ok.body()).label()).isPresent();

      HttpResponse<byte[]> nude = http.send(generate(base, user.key(), new Multipart().file("image", face)
          .text("prompt", "a nude photo of her").build()), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(nude.statusCode()).isEqualTo(422);
      assertThat(new String(nude.body(), StandardCharsets.UTF_8)).doesNotContain("nude");

      HttpResponse<byte[]> revoke = http.send(HttpRequest.newBuilder(base.resolve("/admin/keys/" + user.keyId()
          + "/revoke")).header("X-API-Key", admin.key()).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(revoke.statusCode()).isEqualTo(200);
      HttpResponse<byte[]> revoked = http.send(generate(base, user.key(), form), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(revoked.statusCode()).isEqualTo(403);

      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
          .header("X-API-Key", admin.key()).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("f2p_requests_total").contains("f2p_guard_slots");
    }
  }

  private static HttpRequest generate(URI base, String key, byte[] form) {
    return HttpRequest.newBuilder(base.resolve("/generate")).timeout(Duration.ofSeconds(60))
        .header("X-API-Key", key).header("Content-Type", Multipart.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(form)).build();
  }

  /** The shipped file with a test watermark key and the journal in the temp folder. */
  private static Path settingsFor(Path dir) throws Exception {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of("service.properties"))) {
      p.load(in);
    }
    p.remove("f2p.output-policy.delegate.delegate.watermark.key-env");
    p.setProperty("f2p.output-policy.delegate.delegate.watermark.key", "a-test-watermark-key-of-32-bytes");
    p.setProperty("f2p.authorizer.incident.file", dir.resolve("incidents.journal").toString());
    p.setProperty("f2p.engine.trusted-keys", Path.of("../models/keys/test-signing-key.pub.pem").toString());
    Path file = dir.resolve("service.properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      p.store(out, null);
    }
    return file;
  }
}
