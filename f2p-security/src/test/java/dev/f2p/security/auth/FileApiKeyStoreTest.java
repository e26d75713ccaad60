package dev.f2p.security.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.Role;
import dev.f2p.testing.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileApiKeyStoreTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock();
  private final KeyHasher hasher = KeyHasher.sha256();

  private FileApiKeyStore open() throws IOException {
    return FileApiKeyStore.open(dir.resolve("keys.properties"), clock, Duration.ofSeconds(1));
  }

  @Test
  void keysSurviveAReopenAndTheFileHoldsNoPlainKey() throws IOException {
    FileApiKeyStore store = open();
    ApiKeys keys = new ApiKeys(store, hasher, clock);
    IssuedKey a = keys.issue("alice", Set.of(Role.USER), Optional.of(Duration.ofDays(30)));
    IssuedKey b = keys.issue("bob@example.com", Set.of(Role.TRIAL, Role.of("PARTNER")), Optional.empty());

    String text = Files.readString(store.file());
    assertThat(text).doesNotContain(a.key()).doesNotContain(b.key())
        .doesNotContain(a.key().substring(ApiKeyFormat.PREFIX.length() + 13))
        .contains("key." + a.keyId() + ".hash=sha256:");
    assertThat(Files.getPosixFilePermissions(store.file())).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(open().list()).containsExactlyElementsOf(store.list());
    assertThat(open().find(b.keyId()).orElseThrow().roles()).containsExactlyInAnyOrder(Role.TRIAL, Role.of("PARTNER"));
  }

  @Test
  void aChangeByAnotherProcessIsPickedUpAtTheNextCheck() throws IOException {
    FileApiKeyStore server = open();
    ApiKeyAuthenticator auth = ApiKeyAuthenticator.builder().store(server).hasher(hasher).clock(clock).build();
    ApiKeys tool = new ApiKeys(open(), hasher, clock);
    IssuedKey issued = tool.issue("alice", Set.of(Role.USER), Optional.empty());

    clock.advance(Duration.ofSeconds(1));
    assertThat(auth.authenticate(issued.key(), "10.0.0.1").isAllowed()).isTrue();

    new ApiKeys(open(), hasher, clock).revoke(issued.keyId());
    clock.advance(Duration.ofSeconds(1));
    assertThat(auth.authenticate(issued.key(), "10.0.0.1").isAllowed()).isFalse();
  }

  @Test
  void aRevocationThroughTheSameStoreAppliesOnTheNextRequestWithoutWaitingForAReload() throws IOException {
    FileApiKeyStore store = open();
    ApiKeyAuthenticator auth = ApiKeyAuthenticator.builder().store(store).hasher(hasher).clock(clock).build();
    ApiKeys keys = new ApiKeys(store, hasher, clock);
    IssuedKey issued = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    assertThat(auth.authenticate(issued.key(), "10.0.0.1").isAllowed()).isTrue();
    keys.revoke(issued.keyId());
    assertThat(auth.authenticate(issued.key(), "10.0.0.1").isAllowed()).isFalse();
  }

  @Test
  void aWriterKeepsWhatAnotherWriterSaved() throws IOException {
    ApiKeys first = new ApiKeys(open(), hasher, clock);
    ApiKeys second = new ApiKeys(open(), hasher, clock);
    IssuedKey a = first.issue("alice", Set.of(Role.USER), Optional.empty());
    IssuedKey b = second.issue("bob", Set.of(Role.USER), Optional.empty());
    assertThat(open().list()).extracting(ApiKeyRecord::keyId).containsExactlyInAnyOrder(a.keyId(), b.keyId());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"truncated", "garbage", "count mismatch", "bad hash", "bad state", "unknown field", "empty", "binary"})
  void aBrokenFileKeepsTheLastGoodKeys(String damage) throws IOException {
    FileApiKeyStore store = open();
    IssuedKey issued = new ApiKeys(store, hasher, clock).issue("alice", Set.of(Role.USER), Optional.empty());
    Path file = store.file();
    String good = Files.readString(file);
    Files.write(file, damaged(good, damage, issued.keyId()).getBytes(StandardCharsets.ISO_8859_1));
    clock.advance(Duration.ofSeconds(2));

    assertThat(store.find(issued.keyId())).isPresent();
    assertThat(store.list()).hasSize(1);
    assertThatThrownBy(this::open).isInstanceOf(IOException.class);

    // Repaired: the next check loads it.
    Files.writeString(file, good.replace("state=ACTIVE", "state=REVOKED"));
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.find(issued.keyId()).orElseThrow().state()).isEqualTo(KeyState.REVOKED);
  }

  @Test
  void aDeletedFileKeepsTheLastGoodKeys() throws IOException {
    FileApiKeyStore store = open();
    IssuedKey issued = new ApiKeys(store, hasher, clock).issue("alice", Set.of(Role.USER), Optional.empty());
    Files.delete(store.file());
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.find(issued.keyId())).isPresent();
  }

  private static String damaged(String good, String damage, String keyId) {
    UnaryOperator<String> f = switch (damage) {
      case "truncated" -> s -> s.substring(0, s.length() / 2);
      case "garbage" -> s -> "this is not a key file\n";
      case "count mismatch" -> s -> s.replace("count=1", "count=2").replace("end=1", "end=2");
      case "bad hash" -> s -> s.replaceAll("hash=sha256:[A-Za-z0-9_-]+", "hash=sha256:AAAA");
      case "bad state" -> s -> s.replace("state=ACTIVE", "state=MAYBE");
      case "unknown field" -> s -> s.replace("end=1", "key." + keyId + ".colour=blue\nend=1");
      case "empty" -> s -> "";
      default -> s -> "\u0000\u00ff\u00fe" + s;
    };
    return f.apply(good);
  }
}
