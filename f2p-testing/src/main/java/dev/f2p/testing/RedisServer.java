package dev.f2p.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} (Debian's package, installed by {@code .ci/run}) on a free loopback port,
 * with its own data directory; tests stop and restart it to prove failure behaviour. No mock stands in.
 * Used by f2p-redis's tests and the Spring Boot starter's health tests.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final Path dir;
  /** The running server; null between {@link #kill} and {@link #restart}. */
  private @Nullable Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts a server on a free loopback port, in a new temporary data directory, and waits (up to 10
   * seconds) until it accepts connections. Close it when done: the process outlives nothing else.
   *
   * @return the running server
   * @throws IllegalStateException when {@code redis-server} is not installed or did not start listening
   * @throws UncheckedIOException when no port or temporary directory could be had
   */
  public static RedisServer start() {
    try {
      RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("f2p-redis-test"));
      server.startProcess();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The address clients connect to; stays the same across {@link #restart}.
   *
   * @return {@code redis://127.0.0.1:<port>}, no password, no TLS
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * The loopback port the server listens on; stays the same across {@link #restart}.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The server process's id, to pause it (SIGSTOP) as a hung server.
   *
   * @return the id of the running process
   * @throws IllegalStateException when the server was {@link #kill killed} and not restarted
   */
  public long pid() {
    Process running = process;
    if (running == null) {
      throw new IllegalStateException("redis-server on port " + port + " is not running (killed, not restarted)");
    }
    return running.pid();
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  public void kill() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
      try {
        running.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /**
   * Starts the server again on the same port, with the data it had saved (append-only file, synced on
   * every write), killing it first if it still runs.
   *
   * @throws IllegalStateException when it did not start listening again within 10 seconds
   */
  public void restart() {
    kill();
    startProcess();
  }

  private void startProcess() {
    Process started;
    try {
      started = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
          "--protected-mode", "yes", "--daemonize", "no"))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("redis-server is not installed (apt-get install redis-server; .ci/run does)", e);
    }
    process = started;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!started.isAlive()) {
          break;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Kills the server; its temporary data directory stays behind for inspection. */
  @Override
  public void close() {
    kill();
  }
}
