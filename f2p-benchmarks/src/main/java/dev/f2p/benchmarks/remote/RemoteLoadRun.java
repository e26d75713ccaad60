package dev.f2p.benchmarks.remote;

import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.ProgressListener;
import dev.f2p.core.spi.DeviceStatus;
import dev.f2p.engine.remote.Protocol;
import dev.f2p.engine.remote.RemoteEndpoint;
import dev.f2p.engine.remote.RemoteImageEditEngine;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load script (not JMH: it measures concurrency and reaction times, not a hot loop):
 *
 * <ol>
 *   <li>500 requests in flight at once across 4 endpoints (capacity 125 each, each answer held 500 ms), with
 *       the default connect timeout and with 10 s: no endpoint above its capacity, none taken out by its health
 *       checks while it answers (printed: ejections per endpoint), and the engine's own threads stay a fixed
 *       handful (the 500 waiting threads are the callers', as in a host). What can refuse requests here is
 *       connection setup: 500 new connections at once to JDK {@code HttpServer}s (one dispatcher thread each)
 *       on a loaded machine can take longer than the connect timeout to accept; those never started
 *       (OVERLOADED, retried elsewhere);
 *   <li>the time from an endpoint's death to its ejection with traffic flowing (passive: the first failed
 *       connection) and without traffic (active: the health check every 250 ms), target under 1 s;
 *   <li>the time from its restart to its return.
 * </ol>
 *
 * Run: {@code java -cp f2p-benchmarks/target/benchmarks.jar dev.f2p.benchmarks.remote.RemoteLoadRun}
 */
public final class RemoteLoadRun {
  private RemoteLoadRun() {}

  public static void main(String[] args) throws Exception {
    // The default connect timeout (2 s) first, then 10 s: a burst of 500 new connections to servers on a
    // loaded machine takes longer than 2 s to accept; those requests never started (OVERLOADED, retried
    // elsewhere), and a longer connect timeout lets them all in.
    concurrency(dev.f2p.engine.remote.RemoteEngineConfig.DEFAULT_CONNECT_TIMEOUT);
    concurrency(Duration.ofSeconds(10));
    if (args.length == 0) {
      ejection();
    }
  }

  private static EngineRequest request(Duration deadline) {
    Clock clock = Clock.systemUTC();
    return new EngineRequest("load", new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "a portrait", "",
        EditServer.WIDTH, EditServer.HEIGHT, 20, 4.0, 7L, clock.instant().plus(deadline), clock, ProgressListener.NONE);
  }

  /** The causes' classes and messages: what the client library said. */
  private static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      b.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
    }
    return b.toString();
  }

  private static void concurrency(Duration connectTimeout) throws Exception {
    List<EditServer> servers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      servers.add(new EditServer(0, 500, 130));
    }
    var b = RemoteImageEditEngine.builder().protocol(Protocol.OPENAI).model(EditServer.MODEL)
        .allowPlaintextLoopback(true).connectTimeout(connectTimeout);
    for (EditServer s : servers) {
      b.endpoint(new RemoteEndpoint(s.uri(), 125));
    }
    try (RemoteImageEditEngine engine = b.build()) {
      int n = 500;
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(n);
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      List<Thread> callers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Thread t = new Thread(() -> {
          try {
            go.await();
            engine.edit(request(Duration.ofSeconds(30)));
            ok.incrementAndGet();
          } catch (EngineException e) {
            if (refused.incrementAndGet() <= 2) {
              System.out.println("refused: " + e.reason() + " " + e.getMessage() + causes(e));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        });
        t.start();
        callers.add(t);
      }
      long start = System.nanoTime();
      go.countDown();
      int peakInFlight = 0;
      while (done.getCount() > 0) {
        int inFlight = engine.endpointStatus().stream().mapToInt(DeviceStatus::inFlight).sum();
        peakInFlight = Math.max(peakInFlight, inFlight);
        Thread.sleep(5);
      }
      long wall = System.nanoTime() - start;
      long engineThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("f2p-remote-")).count();
      System.out.printf("concurrency (connect timeout %d ms): %d requests, %d ok, %d refused, wall %d ms (each held 500 ms), peak in flight"
          + " %d, peak per server %s, ejections per endpoint %s, engine threads %d%n", connectTimeout.toMillis(), n, ok.get(),
          refused.get(), wall / 1_000_000, peakInFlight, servers.stream().map(s -> s.peak.get()).toList(),
          engine.endpointStatus().stream().map(DeviceStatus::ejections).toList(), engineThreads);
    } finally {
      servers.forEach(EditServer::close);
    }
  }

  private static void ejection() throws Exception {
    EditServer live = new EditServer(0, 0, 8);
    EditServer dying = new EditServer(0, 0, 8);
    int port = dying.port();
    try (RemoteImageEditEngine engine = RemoteImageEditEngine.builder().protocol(Protocol.OPENAI)
        .model(EditServer.MODEL).allowPlaintextLoopback(true).endpoint(new RemoteEndpoint(live.uri(), 8))
        .endpoint(new RemoteEndpoint(dying.uri(), 8)).healthInterval(Duration.ofMillis(250))
        .probeTimeout(Duration.ofMillis(200)).build()) {
      // Passive: traffic flowing; the first request that finds the dead endpoint ejects it.
      dying.close();
      long start = System.nanoTime();
      while (engine.endpointStatus().get(1).up()) {
        engine.edit(request(Duration.ofSeconds(5)));
      }
      System.out.printf("eject with traffic: %.1f ms%n", (System.nanoTime() - start) / 1e6);
      // Back: restarted on the same port, found by the health check.
      dying = new EditServer(port, 0, 8);
      start = System.nanoTime();
      while (!engine.endpointStatus().get(1).up()) {
        Thread.sleep(1);
      }
      System.out.printf("back after restart: %.1f ms (health interval 250 ms)%n", (System.nanoTime() - start) / 1e6);
      // Active: no traffic; the health check notices.
      dying.close();
      start = System.nanoTime();
      while (engine.endpointStatus().get(1).up()) {
        Thread.sleep(1);
      }
      System.out.printf("eject without traffic: %.1f ms (health interval 250 ms)%n", (System.nanoTime() - start) / 1e6);
    } finally {
      live.close();
      dying.close();
    }
  }
}
