package dev.f2p.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.F2pConfigurationException;
import dev.f2p.examples.http.fakes.TestState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpServiceMainTest {
  @TempDir
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int launch(String... args) {
    return HttpServiceMain.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryOptionAndExits0() {
    assertThat(launch("--help")).isEqualTo(0);
    String help = out.toString(StandardCharsets.UTF_8);
    for (String option : List.of("--settings", "--keys", "--bundle", "--redis", "--port", "--bind", "--max-body",
        "--max-connections", "--max-concurrent", "--read-timeout", "--response-timeout", "--grace",
        "--trust-forwarded-for", "--help")) {
      assertThat(help).contains(option);
    }
    // Every option the parser knows is in the help, and no other.
    Matcher m = Pattern.compile("case \"(--[a-z-]+)\"").matcher(source());
    while (m.find()) {
      assertThat(help).contains(m.group(1));
    }
  }

  private static String source() {
    try {
      return Files.readString(Path.of("src/main/java/dev/f2p/examples/http/HttpServiceMain.java"));
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--nope", "--port=70000", "--port", "--bind=localhost", "--max-body=12q",
      "--read-timeout=soon", "--max-concurrent=0", "--port=1 --port=2"})
  void usageErrorsExit2(String args) {
    assertThat(launch(args.split(" "))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: ").contains("--help");
  }

  @Test
  void aMissingSettingsFileOrAnUnknownProviderExits1() throws Exception {
    assertThat(launch("--settings", dir.resolve("absent.properties").toString())).isEqualTo(1);
    Path settings = dir.resolve("f2p.properties");
    Files.writeString(settings, "f2p.authenticator.type=no-such-provider\n");
    assertThat(launch("--settings", settings.toString(), "--port", "0")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no-such-provider").doesNotContain("\tat ");
  }

  @Test
  void startsFromASettingsFileWithTheKeysOptionOverIt() throws Exception {
    TestState state = TestState.create();
    Map<String, String> settings = ServiceHarness.settings(state, Map.of("f2p.authenticator.file", "/nowhere"));
    Path file = dir.resolve("f2p.properties");
    StringBuilder text = new StringBuilder();
    settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text);
    HttpServiceMain.Options withRedis = HttpServiceMain.Options.parse(new String[] {"--settings", file.toString(),
        "--redis", "redis://127.0.0.1:6379"});
    assertThat(withRedis.settings()).containsEntry("f2p.redis.uri", "redis://127.0.0.1:6379");
    // No provider of these settings uses Redis: a connection nobody would use is a mistake, not a no-op.
    assertThatThrownBy(() -> HttpServiceMain.start(withRedis)).isInstanceOf(F2pConfigurationException.class)
        .hasMessage("unknown setting f2p.redis.uri");
    HttpServiceMain.Options options = HttpServiceMain.Options.parse(new String[] {"--settings", file.toString(),
        "--keys", ServiceHarness.keysFile().toString(), "--port", "0", "--max-body", "1m", "--grace", "2s"});
    try (HttpService service = HttpServiceMain.start(options)) {
      var http = java.net.http.HttpClient.newHttpClient();
      HttpResponse<byte[]> r = http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://127.0.0.1:" + service.port() + "/generate"))
          .header("Content-Type", Multipart.contentType()).header("X-API-Key", ServiceHarness.USER_KEY)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(ServiceHarness.form("a portrait").build()))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(service.address().getAddress().isLoopbackAddress()).isTrue();
    }
    assertThat(state.engineClosed).isTrue();
  }
}
