package dev.f2p.examples.service;

import dev.f2p.core.Role;
import dev.f2p.engine.djl.BundleTools;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.FileApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The shipped {@code application.yml} running as the service does, on a free loopback port: its file
 * paths moved into a temp folder (keys with a USER and an ADMIN key, the journal, a copy of the signed
 * bundle), a test watermark key instead of the environment variable, and any overrides a test asks for.
 */
final class RunningService implements AutoCloseable {
  final Path dir;
  final IssuedKey user;
  final IssuedKey admin;
  final ConfigurableApplicationContext context;
  final int port;

  private RunningService(Path dir, IssuedKey user, IssuedKey admin, ConfigurableApplicationContext context) {
    this.dir = dir;
    this.user = user;
    this.admin = admin;
    this.context = context;
    this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** Starts the service; {@code overrides} are Spring properties over the shipped file. */
  static RunningService start(Path dir, Map<String, String> overrides) throws IOException {
    Path keysFile = dir.resolve("keys.properties");
    ApiKeys keys = new ApiKeys(FileApiKeyStore.open(keysFile), KeyHasher.sha256(), Clock.systemUTC());
    IssuedKey user = keys.issue("alice", Set.of(Role.USER), Optional.empty());
    IssuedKey admin = keys.issue("ops", Set.of(Role.ADMIN), Optional.empty());
    Path bundle = BundleTools.copyWithSafePermissions(Path.of("../models/single-pass"), dir.resolve("bundle"));
    String shipped = Files.readString(Path.of("src/main/resources/application.yml"), StandardCharsets.UTF_8);
    String yml = shipped.replace("watermark.key-env: F2P_WATERMARK_KEY", "watermark.key: a-test-watermark-key-of-32-bytes");
    if (yml.equals(shipped)) {
      throw new IllegalStateException("application.yml no longer names F2P_WATERMARK_KEY; update the test");
    }
    Path config = dir.resolve("application.yml");
    Files.writeString(config, yml, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of(
        "--spring.config.location=file:" + config,
        "--server.port=0",
        "--f2p.authenticator.file=" + keysFile,
        "--f2p.engine.bundle=" + bundle,
        "--f2p.engine.trusted-keys=" + Path.of("../models/keys/test-signing-key.pub.pem").toAbsolutePath(),
        "--f2p-service.incident-journal=" + dir.resolve("incidents.journal")));
    overrides.forEach((k, v) -> args.add("--" + k + "=" + v));
    ConfigurableApplicationContext context = SpringApplication.run(GuardService.class, args.toArray(String[]::new));
    return new RunningService(dir, user, admin, context);
  }

  @Override
  public void close() {
    context.close();
  }
}
