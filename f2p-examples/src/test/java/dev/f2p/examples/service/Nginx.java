package dev.f2p.examples.service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx running the committed {@code deploy/nginx/f2p-guard.conf} in front of the application, as
 * an unprivileged child process: its own prefix, pid, logs and temp folders in a temp folder, a free
 * loopback port, only the listen and upstream ports of the committed file changed. Found as {@code F2P_NGINX},
 * on the PATH or in {@code /usr/sbin}; {@code .ci/run} installs it.
 */
final class Nginx implements AutoCloseable {
  static final Path CONF = Path.of("../deploy/nginx/f2p-guard.conf");

  final int port;
  private final Process process;
  private final Path dir;

  private Nginx(int port, Process process, Path dir) {
    this.port = port;
    this.process = process;
    this.dir = dir;
  }

  /** The nginx binary; empty when it is not installed. */
  static Optional<Path> binary() {
    String env = System.getenv("F2P_NGINX");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
      Path p = Path.of(d.isEmpty() ? "." : d, "nginx");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static Nginx start(Path binary, Path dir, int upstreamPort) throws IOException, InterruptedException {
    // World-traversable, so workers that dropped to nobody (when the tests run as root) reach their files.
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port = freePort();
    String shipped = Files.readString(CONF, StandardCharsets.UTF_8);
    String conf = shipped.replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + upstreamPort + ";")
        .replace("listen 127.0.0.1:8081;", "listen 127.0.0.1:" + port + ";");
    if (conf.equals(shipped) || conf.contains(":8080;") || conf.contains(":8081;")) {
      throw new IllegalStateException(CONF + " no longer has the ports the test replaces; update the test");
    }
    Files.writeString(dir.resolve("f2p-guard.conf"), conf);
    String user = "root".equals(System.getProperty("user.name")) ? "user nobody nogroup;\n" : "";
    Files.writeString(dir.resolve("nginx.conf"), user + """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          include %1$s/f2p-guard.conf;
        }
        """.formatted(dir.toAbsolutePath()));
    Process p = new ProcessBuilder(List.of(binary.toString(), "-p", dir.toAbsolutePath() + "/", "-c",
        dir.resolve("nginx.conf").toAbsolutePath().toString(), "-e", dir.resolve("error.log").toAbsolutePath().toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    Nginx nginx = new Nginx(port, p, dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("nginx exited " + p.exitValue() + ": " + nginx.log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return nginx;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    nginx.close();
    throw new IllegalStateException("nginx did not listen on " + port + ": " + nginx.log());
  }

  String log() {
    try {
      return Files.readString(dir.resolve("stdout.log")) + Files.readString(dir.resolve("error.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the master stops its workers
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
