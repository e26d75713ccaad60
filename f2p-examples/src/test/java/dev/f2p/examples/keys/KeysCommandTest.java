package dev.f2p.examples.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.auth.ApiKeyAuthenticatorProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysCommandTest {
  private static final String PEPPER = "a-pepper-that-is-long-enough";

  @TempDir Path dir;

  private Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    KeysCommand command = new KeysCommand(name -> name.equals("F2P_PEPPER") ? PEPPER : null, clock);
    return command.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String file() {
    return dir.resolve("keys.properties").toString();
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private boolean authenticates(String key) throws Exception {
    var auth = new ApiKeyAuthenticatorProvider().create(PolicySettings.of(Map.of("file", file(), "pepper", PEPPER)));
    return auth.authenticate(key, "10.0.0.1") instanceof Decision.Allowed;
  }

  @Test
  void issueListRotateRevokeEndToEnd() throws Exception {
    assertThat(run("issue", "--principal", "alice", "--roles", "USER,TRIAL", "--expires", "30d", "--file", file(),
        "--pepper-env", "F2P_PEPPER")).isZero();
    String key = out().trim();
    assertThat(key).startsWith("f2p_live_");
    assertThat(Files.readString(Path.of(file()))).doesNotContain(key);
    assertThat(authenticates(key)).isTrue();
    String keyId = key.substring(9, 21);

    assertThat(run("list", "--file", file())).isZero();
    assertThat(out()).contains(keyId).contains("alice").contains("TRIAL,USER").contains("ACTIVE").doesNotContain(key);

    assertThat(run("rotate", "--key-id", keyId, "--grace", "1h", "--file", file(), "--pepper-env", "F2P_PEPPER")).isZero();
    String successor = out().trim();
    assertThat(authenticates(successor)).isTrue();
    assertThat(authenticates(key)).isTrue();

    assertThat(run("revoke", "--key-id", keyId, "--file", file())).isZero();
    assertThat(authenticates(key)).isFalse();
    assertThat(authenticates(successor)).isTrue();
    assertThat(run("revoke", "--key-id", keyId, "--file", file())).isEqualTo(KeysCommand.REFUSED);
    assertThat(run("rotate", "--key-id", "nosuchkeyid0", "--file", file())).isEqualTo(KeysCommand.REFUSED);
  }

  @Test
  void helpPrintsTheUsage() {
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("issue").contains("rotate").contains("--grace");
  }

  @ParameterizedTest(name = "usage: {0}")
  @CsvSource(delimiter = '|', value = {
      "''",
      "frobnicate --file k",
      "issue --principal alice --file k",
      "issue --principal alice --roles USER",
      "issue --principal alice --roles USER --file k --colour blue",
      "revoke --key-id",
      "list --file a --file b"})
  void usageErrorsExitWithTwo(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertThat(run(args)).isEqualTo(KeysCommand.USAGE);
  }

  @ParameterizedTest(name = "invalid: {0}")
  @CsvSource(delimiter = '|', value = {
      "issue --principal al/ice --roles USER --file FILE",
      "issue --principal alice --roles USER,bad!role --file FILE",
      "issue --principal alice --roles USER --expires forever --file FILE",
      "issue --principal alice --roles USER --file FILE --pepper-env F2P_UNSET",
      "rotate --key-id abc --grace -1h --file FILE"})
  void invalidValuesAreRefusedWithOne(String line) {
    assertThat(run(line.replace("FILE", file()).split(" "))).isEqualTo(KeysCommand.REFUSED);
  }

  @Test
  void theGraceEndsOnTime() throws Exception {
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    clock = Clock.fixed(start, ZoneOffset.UTC);
    run("issue", "--principal", "bob", "--roles", "USER", "--file", file());
    String key = out().trim();
    run("rotate", "--key-id", key.substring(9, 21), "--grace", "1h", "--file", file());
    assertThat(Files.readString(Path.of(file()))).contains("expires=" + start.plus(Duration.ofHours(1)));
  }
}
