package dev.f2p.examples.http;

import dev.f2p.core.ImageEditClient;
import dev.f2p.examples.http.fakes.TestState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The service in a JVM of its own (the flood test runs it with {@code -Xmx256m}): prints {@code PORT n},
 * then answers {@code stats} and {@code stop} on standard input. Arguments: the key's quota, the
 * connection cap.
 */
public final class FloodServer {
  private FloodServer() {}

  public static void main(String[] args) throws Exception {
    String capacity = args[0];
    int maxConnections = Integer.parseInt(args[1]);
    TestState state = TestState.create();
    Map<String, String> settings = ServiceHarness.settings(state, Map.of("f2p.rate-limiter.capacity", capacity,
        "f2p.resource-guard.slots", "64"));
    ImageEditClient client = ImageEditClient.builder().configure(settings).build();
    HttpService service = HttpService.builder(client).port(0).maxConcurrent(64).maxConnections(maxConnections)
        .adminActions(state).start();
    System.out.println("PORT " + service.port());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("stats")) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        System.out.println("STATS leases=" + state.openLeases.get() + " engineCalls=" + state.engineCalls.get()
            + " heapUsed=" + memory.getHeapMemoryUsage().getUsed()
            + " heapMax=" + memory.getHeapMemoryUsage().getMax());
      } else if (line.equals("stop")) {
        boolean drained = service.stop(Duration.ofSeconds(10));
        System.out.println("STOPPED drained=" + drained + " engineClosed=" + state.engineClosed);
        System.out.flush();
        return;
      }
      System.out.flush();
    }
  }
}
