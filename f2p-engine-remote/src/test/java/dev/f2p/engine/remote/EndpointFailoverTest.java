package dev.f2p.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.f2p.core.ReasonCode;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.core.spi.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Several endpoints: where a request goes, when it moves, when it never does, ejection, breaker, capacity. */
class EndpointFailoverTest {
  private static final String MODEL = "qwen_image_edit_f2p";

  private static RemoteEngineConfig.Builder builder(GrpcModelServer... servers) {
    RemoteEngineConfig.Builder b = RemoteImageEditEngine.builder().protocol(Protocol.OIP_GRPC).model(MODEL)
        .modelVersion("3").allowPlaintextLoopback(true).healthInterval(Duration.ofSeconds(2))
        .probeTimeout(Duration.ofSeconds(2));
    for (GrpcModelServer s : servers) {
      b.endpoint(new RemoteEndpoint(s.uri(), 1));
    }
    return b;
  }

  @Test
  void aDeadEndpointIsEjectedAndItsRequestsMoveToALiveOne() throws Exception {
    List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3"); GrpcModelServer b = new GrpcModelServer(MODEL, "3");
        RemoteImageEditEngine engine = builder(a, b).build()) {
      engine.attach(events::add);
      awaitAllUp(engine);
      String deadName = new RemoteEndpoint(a.uri(), 1).name();
      a.close();
      // A call racing the server's close on an open connection may fail (it may have started: never resent);
      // every call after that finds no connection, ejects the endpoint and moves to the live one.
      int failed = 0;
      for (int i = 0; i < 4; i++) {
        try {
          assertThat(engine.edit(Requests.edit()).pixels().getWidth()).isEqualTo(64);
        } catch (EngineException e) {
          assertThat(e.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE);
          failed++;
        }
      }
      assertThat(failed).isLessThanOrEqualTo(1);
      assertThat(b.requests.get()).isEqualTo(4 - failed);
      DeviceStatus dead = engine.endpointStatus().get(0);
      assertThat(dead.up()).isFalse();
      assertThat(dead.ejections()).isGreaterThanOrEqualTo(1);
      assertThat(events).anySatisfy(e -> {
        assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).isIn("ENDPOINT_EJECTED", "ENDPOINT_DOWN"));
        assertThat(e.attributes()).containsEntry("endpoint", deadName);
        assertThat(e.toString()).doesNotContain("portrait");
      });
    }
  }

  @Test
  void aRequestThatMayHaveStartedIsNeverSentTwice() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3"); GrpcModelServer b = new GrpcModelServer(MODEL, "3");
        RemoteImageEditEngine engine = builder(a, b).breakerThreshold(100).build()) {
      awaitAllUp(engine);
      a.fault.set("error");
      int failures = 0;
      int successes = 0;
      for (int i = 0; i < 6; i++) {
        try {
          engine.edit(Requests.edit());
          successes++;
        } catch (EngineException e) {
          assertThat(e.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE);
          failures++;
        }
      }
      assertThat(failures).isEqualTo(a.requests.get()).isPositive();
      assertThat(successes).isEqualTo(b.requests.get()).isPositive();
    }
  }

  @Test
  void aBusyEndpointPassesTheRequestToAnother() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3"); GrpcModelServer b = new GrpcModelServer(MODEL, "3");
        RemoteImageEditEngine engine = builder(a, b).build()) {
      awaitAllUp(engine);
      a.fault.set("busy");
      for (int i = 0; i < 4; i++) {
        engine.edit(Requests.edit());
      }
      assertThat(b.requests.get()).isEqualTo(4);
      assertThat(a.requests.get()).isPositive();
    }
  }

  @Test
  void theCircuitOpensAfterTheThresholdAndLetsOneTrialThroughLater() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3");
        RemoteImageEditEngine engine = builder(a).breakerThreshold(2).breakerOpenFor(Duration.ofMillis(300)).build()) {
      awaitAllUp(engine);
      a.fault.set("error");
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> engine.edit(Requests.edit())).isInstanceOf(EngineException.class);
      }
      assertThatThrownBy(() -> engine.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class,
          e -> assertThat(e.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
      assertThat(a.requests.get()).as("an open circuit sends nothing").isEqualTo(2);
      assertThat(engine.isAvailable()).isFalse();
      a.fault.set("none");
      ModelServer.sleep(350);
      assertThat(engine.edit(Requests.edit()).pixels().getWidth()).isEqualTo(64);
      assertThat(engine.isAvailable()).isTrue();
    }
  }

  @Test
  void neverMoreInFlightThanTheDeclaredCapacity() throws Exception {
    try (GrpcModelServer a = new GrpcModelServer(MODEL, "3"); RemoteImageEditEngine engine = builder(a).build()) {
      awaitAllUp(engine);
      assertThat(engine.capacity()).isEqualTo(1);
      a.fault.set("slow");
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
        try {
          engine.edit(Requests.edit(64, 48, Duration.ofSeconds(3)));
        } catch (EngineException e) {
          // the slow call ends at its deadline; only the refusal below matters
        }
      });
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (a.requests.get() == 0 && System.nanoTime() < until) {
        ModelServer.sleep(5);
      }
      assertThatThrownBy(() -> engine.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class, e -> {
        assertThat(e.reason()).isEqualTo(ReasonCode.OVERLOADED);
        assertThat(e.retryAfter()).isEqualTo(RemoteEngineConfig.DEFAULT_OVERLOADED_RETRY_AFTER);
      });
      assertThat(a.requests.get()).isEqualTo(1);
      first.join();
    }
  }

  @Test
  void aConnectionResetAfterTheBodyIsUnavailableAndNotRetried() throws Exception {
    try (ResettingServer reset = new ResettingServer();
        RemoteImageEditEngine engine = RemoteImageEditEngine.builder().protocol(Protocol.OPENAI).model(MODEL)
            .endpoint(new RemoteEndpoint(reset.uri(), 1)).allowPlaintextLoopback(true).build()) {
      Requests.awaitAvailable(engine);
      assertThatThrownBy(() -> engine.edit(Requests.edit())).isInstanceOfSatisfying(EngineException.class,
          e -> assertThat(e.reason()).isEqualTo(ReasonCode.ENGINE_UNAVAILABLE));
      assertThat(reset.posts.get()).isEqualTo(1);
    }
  }

  static void awaitAllUp(RemoteImageEditEngine engine) {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!engine.endpointStatus().stream().allMatch(DeviceStatus::up) && System.nanoTime() < until) {
      ModelServer.sleep(20);
    }
    assertThat(engine.endpointStatus()).allMatch(DeviceStatus::up);
  }

  /**
   * An HTTP server that answers the OpenAI models list properly and, for any POST, reads the request and
   * resets the connection (SO_LINGER 0) without a word: a server that crashed mid-request.
   */
  static final class ResettingServer implements AutoCloseable {
    final AtomicInteger posts = new AtomicInteger();
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Thread thread = new Thread(this::serve, "resetting-server");

    ResettingServer() throws IOException {
      thread.setDaemon(true);
      thread.start();
    }

    java.net.URI uri() {
      return java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          InputStream in = s.getInputStream();
          byte[] head = new byte[8192];
          int n = in.read(head);
          String request = n > 0 ? new String(head, 0, n, StandardCharsets.ISO_8859_1) : "";
          if (request.startsWith("GET /v1/models")) {
            byte[] body = ("{\"data\":[{\"id\":\"" + MODEL + "\"}]}").getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
          } else {
            posts.incrementAndGet();
            s.setSoLinger(true, 0);
          }
        } catch (IOException e) {
          // next connection, or closed
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
