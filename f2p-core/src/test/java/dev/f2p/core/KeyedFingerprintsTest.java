package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.internal.Fingerprints;
import dev.f2p.core.testing.Fixtures;
import dev.f2p.core.testing.Fixtures.CountingGuard;
import dev.f2p.core.testing.Fixtures.InvertingEngine;
import dev.f2p.testing.TestClients.Recorder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, finding 7: the security log's {@code promptFp} was the first 64 bits of an unsalted SHA-256 of
 * the prompt, so anyone who read the log could confirm a guessed prompt. Fingerprints are now HMACs under
 * the deployment's key.
 */
class KeyedFingerprintsTest {
  private static final String PROMPT = "a portrait of the mayor in a prison uniform";
  private static final byte[] KEY = "deployment-key-0123456789".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_KEY = "another-deployment-key-42".getBytes(StandardCharsets.UTF_8);

  /** The fingerprints in the final event of one request with {@code PROMPT}, by a client built by {@code setup}. */
  private static SecurityEvent finalEvent(UnaryOperator<ImageEditClient.Builder> setup) {
    Recorder events = new Recorder();
    try (ImageEditClient client = setup.apply(Fixtures.client(new InvertingEngine(), new CountingGuard(), events))
        .build()) {
      client.edit(Fixtures.request().prompt(PROMPT).image(Fixtures.png(96, 96)).build());
    }
    return events.events.get(events.events.size() - 1);
  }

  /** What a log reader can compute for a candidate prompt without the key. */
  private static String[] unkeyedGuesses(String candidate) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(candidate.getBytes(StandardCharsets.UTF_8));
    String hex = HexFormat.of().formatHex(digest);
    return new String[] {"sha256/64:" + hex.substring(0, 16), "sha256:" + hex, hex, hex.substring(0, 16)};
  }

  @Test
  void aLogReaderWhoKnowsTheCandidatePromptCannotConfirmItWithoutTheKey() throws Exception {
    String logged = finalEvent(b -> b.fingerprintKey(KEY)).promptFingerprint().orElseThrow();
    for (String guess : unkeyedGuesses(PROMPT)) {
      assertThat(logged).doesNotContain(guess.substring(guess.indexOf(':') + 1));
    }
    assertThat(logged).isNotEqualTo(Fingerprints.withKey(OTHER_KEY).prompt(PROMPT));
    assertThat(logged).isEqualTo(Fingerprints.withKey(KEY).prompt(PROMPT)).startsWith("hmac-sha256/64:");
  }

  @Test
  void theSamePromptUnderTheSameKeyGivesTheSameFingerprintOnEveryInstance() {
    SecurityEvent first = finalEvent(b -> b.fingerprintKey(KEY));
    SecurityEvent second = finalEvent(b -> b.environment(Map.of(Fingerprints.DEFAULT_KEY_ENV,
        new String(KEY, StandardCharsets.UTF_8))::get));
    assertThat(second.promptFingerprint()).isEqualTo(first.promptFingerprint());
    assertThat(second.imageFingerprint()).isEqualTo(first.imageFingerprint());
    assertThat(first.imageFingerprint()).hasValueSatisfying(f -> assertThat(f).matches("hmac-sha256:[0-9a-f]{64}"));
    assertThat(finalEvent(b -> b.fingerprintKey(OTHER_KEY)).promptFingerprint()).isNotEqualTo(first.promptFingerprint());
  }

  @Test
  void theVariableCanBeNamedInSettingsAndMustThenBeSet() {
    SecurityEvent named = finalEvent(b -> b.environment(Map.of("MY_FP_KEY", new String(KEY, StandardCharsets.UTF_8))::get)
        .configure(Map.of("f2p.fingerprint-key-env", "MY_FP_KEY")));
    assertThat(named.promptFingerprint()).contains(Fingerprints.withKey(KEY).prompt(PROMPT));
    assertThatThrownBy(() -> finalEvent(b -> b.environment(name -> null).fingerprintKeyEnv("MY_FP_KEY")))
        .isInstanceOf(F2pConfigurationException.class).hasMessage("environment variable MY_FP_KEY (the fingerprint key) is not set");
  }

  @Test
  void aShortKeyFailsTheBuildWithoutShowingIt() {
    assertThatThrownBy(() -> finalEvent(b -> b.environment(Map.of(Fingerprints.DEFAULT_KEY_ENV, "hunter2")::get)))
        .isInstanceOf(F2pConfigurationException.class).hasMessageContaining(Fingerprints.DEFAULT_KEY_ENV)
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ImageEditClient.builder().fingerprintKey(new byte[15])).hasMessageContaining("was 15");
  }

  @Test
  void withoutAKeyFingerprintsAreKeyedPerProcessNeverUnkeyed() throws Exception {
    SecurityEvent a = finalEvent(b -> b.environment(name -> null));
    SecurityEvent b2 = finalEvent(b -> b.environment(name -> null));
    assertThat(a.promptFingerprint()).isEqualTo(b2.promptFingerprint()); // one random key per process
    for (String guess : unkeyedGuesses(PROMPT)) {
      assertThat(a.promptFingerprint().orElseThrow()).doesNotContain(guess.substring(guess.indexOf(':') + 1));
    }
    assertThat(a.promptFingerprint()).isNotEqualTo(finalEvent(x -> x.fingerprintKey(KEY)).promptFingerprint());
  }
}
