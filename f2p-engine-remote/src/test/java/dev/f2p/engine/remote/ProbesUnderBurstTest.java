package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.f2p.core.SecurityEvent;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.core.spi.EngineException;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The attack: a burst of requests over servers that are slow but healthy must not get them marked down. Each
 * server accepts one connection at a time with a pause between accepts (a loaded server's accept queue) and
 * answers its health path only while no edit is in flight (its workers all busy), so during the burst every
 * health check times out. Yet every server keeps answering edits; taking them out would refuse requests for
 * nothing. Found before the fix: checks shared the requests' client, so they also waited behind the
 * requests' new connections, timed out twice and the busy endpoints went down one after another.
 */
class ProbesUnderBurstTest {
  private static final String MODEL = "qwen-image-edit-f2p";

  @Test
  void aBurstOverSlowButHealthyServersEjectsNoEndpointAndFailsNoRequest() throws Exception {
    List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    List<BusyServer> servers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      servers.add(new BusyServer(Duration.ofMillis(15), Duration.ofMillis(300)));
    }
    RemoteEngineConfig.Builder b = RemoteImageEditEngine.builder().protocol(Protocol.OPENAI).model(MODEL)
        .allowPlaintextLoopback(true).healthInterval(Duration.ofMillis(200)).probeTimeout(Duration.ofMillis(150));
    for (BusyServer s : servers) {
      b.endpoint(new RemoteEndpoint(s.uri(), 12));
    }
    try (RemoteImageEditEngine engine = b.build()) {
      engine.attach(events::add);
      EndpointFailoverTest.awaitAllUp(engine);
      AtomicInteger ok = new AtomicInteger();
      List<String> failures = new CopyOnWriteArrayList<>();
      long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      List<Thread> callers = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        Thread t = new Thread(() -> {
          while (System.nanoTime() < until) {
            try {
              engine.edit(Requests.edit(64, 48, Duration.ofSeconds(20)));
              ok.incrementAndGet();
            } catch (EngineException e) {
              failures.add(e.reason() + ": " + e.getMessage());
            }
          }
        });
        t.start();
        callers.add(t);
      }
      for (Thread t : callers) {
        t.join();
      }
      assertThat(servers).as("the health path was starved during the burst").allMatch(s -> s.healthDelayed.get() > 0);
      assertThat(failures).isEmpty();
      assertThat(ok.get()).isGreaterThanOrEqualTo(48);
      assertThat(engine.endpointStatus()).allSatisfy(d -> {
        assertThat(d.up()).as(d.name()).isTrue();
        assertThat(d.ejections()).as(d.name()).isZero();
      });
      assertThat(events).noneSatisfy(e -> assertThat(e.detail()).hasValueSatisfying(
          d -> assertThat(d).isIn("ENDPOINT_DOWN", "ENDPOINT_EJECTED", "ENDPOINT_CIRCUIT_OPEN")));
    } finally {
      for (BusyServer s : servers) {
        s.close();
      }
    }
  }

  /**
   * An OpenAI images edit server on plain sockets (HTTP/1.1 keep-alive, a thread per connection) that is slow
   * the way a loaded server is: it pauses after each accept, holds each edit, and answers its models list only
   * once no edit is in flight.
   */
  static final class BusyServer implements AutoCloseable {
    final AtomicInteger healthDelayed = new AtomicInteger();
    private final AtomicInteger editsInFlight = new AtomicInteger();
    private final ServerSocket socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    private final Duration acceptPause;
    private final Duration hold;
    private final byte[] answer;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    BusyServer(Duration acceptPause, Duration hold) throws IOException {
      this.acceptPause = acceptPause;
      this.hold = hold;
      BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(image, "png", png);
      this.answer = ("{\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"}]}")
          .getBytes(StandardCharsets.US_ASCII);
      Thread acceptor = new Thread(this::accept, "busy-server-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    java.net.URI uri() {
      return java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          open.add(s);
          Thread t = new Thread(() -> serve(s), "busy-server-conn");
          t.setDaemon(true);
          t.start();
          ModelServer.sleep(acceptPause.toMillis());
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        for (;;) {
          String head = head(in);
          if (head == null) {
            return;
          }
          long length = 0;
          for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              length = Long.parseLong(line.substring(15).trim());
            }
          }
          in.skipNBytes(length);
          byte[] body;
          if (head.startsWith("GET /v1/models")) {
            if (editsInFlight.get() > 0) {
              healthDelayed.incrementAndGet();
              while (editsInFlight.get() > 0) {
                ModelServer.sleep(5);
              }
            }
            body = ("{\"data\":[{\"id\":\"" + MODEL + "\"}]}").getBytes(StandardCharsets.US_ASCII);
          } else {
            editsInFlight.incrementAndGet();
            try {
              ModelServer.sleep(hold.toMillis());
            } finally {
              editsInFlight.decrementAndGet();
            }
            body = answer;
          }
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
              + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
        }
      } catch (IOException e) {
        // the client closed the connection
      }
    }

    /** The request line and headers, or null at the end of the stream. */
    private static String head(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int last4 = 0;
      int c;
      while ((c = in.read()) >= 0) {
        b.write(c);
        last4 = last4 << 8 | c;
        if (last4 == 0x0d0a0d0a) {
          return b.toString(StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }
}
