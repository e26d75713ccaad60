package com.example.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.F2pConfigurationException;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Role;
import dev.f2p.security.auth.ApiKeyAuthenticator;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.InMemoryApiKeyStore;
import dev.f2p.security.auth.KeyHasher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library as a user's build sees it: from the installed artifacts, the BOM and nothing else. */
class HostAppTest {
  /** The repository's signed fixture model, standing in for the host's. */
  private static final Path MODELS = Path.of("../../models").toAbsolutePath().normalize();

  @Test
  void theShippedSettingsPassTheNameCheck() throws Exception {
    ImageEditClient.checkSettings(shippedSettings());
  }

  @Test
  void aTypoInTheSettingsFailsTheBuild() throws Exception {
    Map<String, String> settings = shippedSettings();
    settings.put("f2p.engine.trusted-key", "x");
    F2pConfigurationException e = assertThrows(F2pConfigurationException.class,
        () -> ImageEditClient.checkSettings(settings));
    assertEquals("unknown setting f2p.engine.trusted-key; did you mean f2p.engine.trusted-keys?", e.getMessage());
  }

  @Test
  void aClientFromTheSettingsFileEditsAPhoto(@TempDir Path dir) throws Exception {
    Map<String, String> settings = shippedSettings();
    settings.put("f2p.engine.bundle", MODELS.resolve("single-pass").toString());
    settings.put("f2p.engine.trusted-keys", MODELS.resolve("keys/test-signing-key.pub.pem").toString());
    Path file = dir.resolve("f2p.properties");
    Properties p = new Properties();
    p.putAll(settings);
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, null);
    }
    InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    String key = new ApiKeys(store, KeyHasher.sha256(), Clock.systemUTC())
        .issue("alice", Set.of(Role.USER), Optional.of(Duration.ofHours(1))).key();
    try (ImageEditClient client = HostApp.client(file,
        ApiKeyAuthenticator.builder().store(store).hasher(KeyHasher.sha256()).build())) {
      EditResult result = client.edit(EditRequest.builder().apiKey(key).clientAddress("203.0.113.7")
          .image(png(128)).prompt("a portrait in a garden").size(64, 64).steps(1).build());
      assertInstanceOf(EditResult.Success.class, result, result::toString);
    }
  }

  private static Map<String, String> shippedSettings() throws Exception {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/f2p.properties"))) {
      p.load(in);
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(n -> out.put(n, p.getProperty(n)));
    return out;
  }

  private static byte[] png(int side) throws Exception {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.setRGB(x, y, (x * 2) << 16 | (y * 2) << 8 | 128);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
