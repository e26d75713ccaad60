package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mTLS against the test server on uvicorn with TLS and required client certificates, all made at test time by
 * openssl under a throw-away CA: the pinned CA and a client certificate get through; a server under another
 * CA, or a client without a certificate, never counts as up.
 */
class MutualTlsTest {
  private static final String MODEL = "Qwen/Qwen-Image-Edit-F2P";
  @TempDir static Path dir;
  private static ModelServer server;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("openssl", Tools.run("openssl", "version"));
    ca("ca");
    ca("other-ca");
    leaf("server", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth");
    leaf("client", "ca", "extendedKeyUsage=clientAuth");
    server = ModelServer.start(MODEL, "", "--certfile", dir.resolve("server.pem").toString(), "--keyfile",
        dir.resolve("server.key").toString(), "--client-ca", dir.resolve("ca.pem").toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void ca(String name) {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
        "-subj", "/CN=" + name, "-keyout", dir.resolve(name + ".key").toString(), "-out",
        dir.resolve(name + ".pem").toString());
  }

  private static void leaf(String name, String ca, String extensions) throws Exception {
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, extensions + "\n");
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + name,
        "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".csr").toString());
    openssl("x509", "-req", "-days", "1", "-in", dir.resolve(name + ".csr").toString(), "-CA",
        dir.resolve(ca + ".pem").toString(), "-CAkey", dir.resolve(ca + ".key").toString(), "-CAcreateserial",
        "-extfile", ext.toString(), "-out", dir.resolve(name + ".pem").toString());
    Files.setPosixFilePermissions(dir.resolve(name + ".key"), PosixFilePermissions.fromString("rw-------"));
  }

  private static void openssl(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    assertThat(Tools.run(command)).as(String.join(" ", command)).isTrue();
  }

  private static RemoteEngineConfig.Builder builder() {
    return RemoteImageEditEngine.builder().protocol(Protocol.OPENAI).model(MODEL)
        .endpoint(new RemoteEndpoint(URI.create("https://127.0.0.1:" + server.port()), 1))
        .healthInterval(Duration.ofSeconds(2)).probeTimeout(Duration.ofSeconds(2));
  }

  @Test
  void thePinnedCaAndAClientCertificateGetThrough() throws Exception {
    try (RemoteImageEditEngine engine = builder().trustedCa(dir.resolve("ca.pem"))
        .clientCertificate(dir.resolve("client.pem"), dir.resolve("client.key")).build()) {
      Requests.awaitAvailable(engine);
      assertThat(engine.edit(Requests.edit()).pixels().getWidth()).isEqualTo(64);
    }
  }

  @Test
  void aServerUnderAnotherCaIsNeverUp() throws Exception {
    try (RemoteImageEditEngine engine = builder().trustedCa(dir.resolve("other-ca.pem"))
        .clientCertificate(dir.resolve("client.pem"), dir.resolve("client.key")).build()) {
      assertThat(engine.isAvailable()).isFalse();
    }
  }

  @Test
  void aClientWithoutACertificateIsNeverUp() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "t");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    try (RemoteImageEditEngine engine = builder().trustedCa(dir.resolve("ca.pem")).bearerTokenFromFile(token)
        .build()) {
      assertThat(engine.isAvailable()).isFalse();
    }
  }
}
