package dev.f2p.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.LockdownMode;
import java.time.Duration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Several instances, each its own JVM with its own ImageEditClient, share one Redis. */
class SharedAdmissionAcrossJvmsTest {
  private static final int INSTANCES = 3;
  private static final int LIMIT = 12;
  private static final int PER_INSTANCE = 10;
  @RegisterExtension
  static final RedisServerExtension SERVER = new RedisServerExtension();


  @Test
  void instancesInSeparateJvmsAdmitTogetherExactlyWhatOneInstanceWould(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys.json");
    IssuedKey key = TestPipeline.issueKey(keys, "alice");
    Path settingsFile = dir.resolve("instance.properties");
    Properties p = new Properties();
    p.putAll(TestPipeline.redisSettings(SERVER.uri(), keys, LIMIT + "/hour"));
    try (Writer w = Files.newBufferedWriter(settingsFile)) {
      p.store(w, null);
    }
    Path start = dir.resolve("start");
    List<Process> processes = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), InstanceMain.class.getName(),
          settingsFile.toString(), key.key(), "198.51.100." + (i + 1), Integer.toString(PER_INSTANCE), start.toString())
          .redirectError(dir.resolve("instance" + i + ".err").toFile())
          .start();
      processes.add(process);
      outputs.add(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < INSTANCES; i++) {
      String ready = nextProtocolLine(outputs.get(i));
      assertThat(ready).as("instance %d started; its stderr:%n%s", i, stderr(dir, i)).isEqualTo("READY");
    }
    Files.createFile(start);
    int allowed = 0;
    int rejected = 0;
    Pattern line = Pattern.compile("ALLOWED (\\d+) REJECTED (\\d+)");
    for (int i = 0; i < INSTANCES; i++) {
      String result = nextProtocolLine(outputs.get(i));
      assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(result).as("instance %d output; its stderr:%n%s", i, stderr(dir, i)).isNotNull();
      Matcher m = line.matcher(result);
      assertThat(m.matches()).as(result).isTrue();
      allowed += Integer.parseInt(m.group(1));
      rejected += Integer.parseInt(m.group(2));
      System.out.println("instance " + i + ": " + result);
    }
    assertThat(allowed).as("admitted by %d instances together", INSTANCES).isEqualTo(LIMIT);
    assertThat(rejected).isEqualTo(INSTANCES * PER_INSTANCE - LIMIT);

    // An operator revokes the key and suspends its owner, so incident state is in Redis too.
    try (RedisCoordination redis = RedisCoordination.builder().uri(SERVER.uri()).build();
        IncidentControl control = IncidentControl.builder().store(redis.incidentStore()).build()) {
      control.revokeKey(key.keyId());
      control.suspendPrincipal("alice", Duration.ofMinutes(5));
      control.lockdown(LockdownMode.ADMINS_ONLY);
    }
    assertNoApiKeyInRedis(key.key());
  }

  private static String stderr(Path dir, int i) throws IOException {
    return Files.readString(dir.resolve("instance" + i + ".err"));
  }

  /** The next line the instance prints for us, skipping anything a library prints to stdout. */
  private static String nextProtocolLine(BufferedReader out) throws IOException {
    for (String l = out.readLine(); l != null; l = out.readLine()) {
      if (l.equals("READY") || l.startsWith("ALLOWED ")) {
        return l;
      }
    }
    return null;
  }

  /** Every key name and every value (DUMP, so any type) in Redis, searched for the API key and its secret. */
  private static void assertNoApiKeyInRedis(String apiKey) {
    RedisClient client = RedisClient.create(SERVER.uri());
    try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
      RedisCommands<byte[], byte[]> sync = c.sync();
      List<byte[]> names = sync.keys("*".getBytes(StandardCharsets.UTF_8));
      assertThat(names).as("keys written by the run").isNotEmpty();
      // f2p_live_<12-character id>_<secret>: the secret itself may contain '_', so cut by position.
      String secret = apiKey.substring("f2p_live_".length() + 13);
      List<String> kinds = new ArrayList<>();
      for (byte[] name : names) {
        String n = new String(name, StandardCharsets.ISO_8859_1);
        kinds.add(n.replaceAll(":[A-Za-z0-9_-]{22}$", ":<hash>"));
        byte[] dump = sync.dump(name);
        String value = dump == null ? "" : new String(dump, StandardCharsets.ISO_8859_1);
        for (String needle : List.of(apiKey, secret)) {
          assertThat(n).doesNotContain(needle);
          assertThat(value).doesNotContain(needle);
        }
        assertThat(n).startsWith(RedisCoordination.DEFAULT_KEY_PREFIX);
      }
      System.out.println("Redis after the run: " + names.size() + " keys, kinds " + kinds.stream().distinct().sorted().toList());
      assertThat(kinds).contains("f2p:rl:<hash>", "f2p:lo:<hash>", "f2p:inc:r:<hash>", "f2p:inc:lockdown");
    } finally {
      client.shutdown();
    }
  }
}
