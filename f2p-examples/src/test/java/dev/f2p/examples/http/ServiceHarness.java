package dev.f2p.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.SecurityEvent;
import dev.f2p.examples.http.fakes.TestState;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Starts the service on a free loopback port over the fake policies and drives it with HttpClient. */
final class ServiceHarness implements AutoCloseable {
  static final String USER_KEY = "f2p_user_8c1d2e3f4a5b6c7d8e9f0a1b";
  static final String ADMIN_KEY = "f2p_admin_1a2b3c4d5e6f7a8b9c0d1e2f";
  static final String TRIAL_KEY = "f2p_trial_0f1e2d3c4b5a69788796a5b4";
  static final String USER_KEY_ID = "f2p_user";

  final TestState state = TestState.create();
  final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
  final HttpService service;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  ServiceHarness(Map<String, String> overrides, Consumer<HttpService.Builder> options) {
    Map<String, String> settings = settings(state, overrides);
    ImageEditClient client = ImageEditClient.builder().configure(settings).addListener(events::add).build();
    HttpService.Builder b = HttpService.builder(client).port(0).adminActions(state);
    options.accept(b);
    service = b.start();
  }

  /** A service over a client the test built (its own policies and listeners). */
  ServiceHarness(ImageEditClient client, Consumer<HttpService.Builder> options) {
    HttpService.Builder b = HttpService.builder(client).port(0).adminActions(state);
    options.accept(b);
    service = b.start();
  }

  ServiceHarness() {
    this(Map.of(), b -> {});
  }

  /** The settings a deployment would put in its .properties file, on the fake providers. */
  static Map<String, String> settings(TestState state, Map<String, String> overrides) {
    Map<String, String> s = new TreeMap<>();
    s.put("f2p.authenticator.type", "test-keys");
    s.put("f2p.authenticator.file", keysFile().toString());
    s.put("f2p.authorizers", "test-incidents");
    s.put("f2p.rate-limiter.type", "test-bucket");
    s.put("f2p.rate-limiter.capacity", "5");
    s.put("f2p.rate-limiter.window", "1h");
    s.put("f2p.prompt-filter.type", "test-words");
    s.put("f2p.prompt-filter.blocked", "forbiddenword");
    s.put("f2p.image-validator.type", "test-imageio");
    s.put("f2p.image-validator.max-bytes", "200000");
    s.put("f2p.resource-guard.type", "test-slots");
    s.put("f2p.resource-guard.slots", "4");
    s.put("f2p.engine.type", "test-engine");
    for (String scope : List.of("authenticator", "authorizer.test-incidents", "resource-guard", "engine")) {
      s.put("f2p." + scope + ".state", state.id);
    }
    // Another provider for a concern takes none of the replaced provider's settings (they would be unknown).
    overrides.keySet().stream().filter(k -> k.endsWith(".type") && k.indexOf('.', "f2p.".length()) == k.lastIndexOf('.'))
        .map(k -> k.substring(0, k.length() - ".type".length()))
        .forEach(scope -> s.keySet().removeIf(n -> n.startsWith(scope + ".")));
    s.putAll(overrides);
    return s;
  }

  static Path keysFile() {
    try {
      Path file = Files.createTempFile("f2p-keys", ".properties");
      file.toFile().deleteOnExit();
      Files.writeString(file, USER_KEY + "=alice,USER," + USER_KEY_ID + "\n"
          + ADMIN_KEY + "=root,ADMIN,f2p_admin\n"
          + TRIAL_KEY + "=trial-bob,TRIAL,f2p_trial\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + service.port() + path);
  }

  /** A valid form: a small PNG and a prompt, 64x64 output. */
  static Multipart form(String prompt) {
    return new Multipart().file("image", png(48, 48)).text("prompt", prompt).text("width", "64")
        .text("height", "64").text("steps", "2").text("seed", "7");
  }

  HttpResponse<byte[]> generate(String key, byte[] body) {
    return generate(key, Multipart.contentType(), body);
  }

  HttpResponse<byte[]> generate(String key, String contentType, byte[] body) {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri("/generate")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      r.header("X-API-Key", key);
    }
    return send(r.build());
  }

  HttpResponse<byte[]> admin(String method, String path, String key) {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      r.header("X-API-Key", key);
    }
    return send(r.build());
  }

  HttpResponse<byte[]> get(String path, String key) {
    return admin("GET", path, key);
  }

  HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x40);
      }
    }
    return encode(image, "png");
  }

  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** A top-level member of the flat problem object, as a string (numbers unquoted). */
  static String member(HttpResponse<byte[]> response, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[0-9a-z]+)").matcher(body(response));
    assertThat(m.find()).as("member %s in %s", name, body(response)).isTrue();
    return m.group(2) != null ? m.group(2) : m.group(1);
  }

  /** Asserts an RFC 9457 problem with this status and code, its instance the X-Request-Id. */
  static void assertProblem(HttpResponse<byte[]> response, int status, String code) {
    assertThat(response.statusCode()).as(body(response)).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(member(response, "status")).isEqualTo(Integer.toString(status));
    assertThat(member(response, "code")).isEqualTo(code);
    assertThat(member(response, "instance")).isEqualTo(requestId);
    assertThat(member(response, "type")).startsWith("urn:f2p:problem:");
    assertThat(member(response, "title")).isNotBlank();
    assertThat(member(response, "detail")).isNotBlank();
  }

  @Override
  public void close() {
    service.stop(Duration.ofSeconds(5));
  }
}
