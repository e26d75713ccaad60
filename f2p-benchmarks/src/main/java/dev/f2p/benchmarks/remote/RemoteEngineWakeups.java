package dev.f2p.benchmarks.remote;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * A load script (not JMH: it counts, it does not time): the context switches per call of the remote engine
 * and of {@link RemoteEngineBenchmark}'s bare call, per thread (numbers in names folded), read from Linux's
 * {@code /proc/self/task/<tid>/status} around 2,000 calls each, twice. On a virtual machine every thread
 * woken on another CPU costs an inter-processor interrupt, so on a shared machine this count is a steadier
 * measure of what the engine adds than its time; it is how the per-call timer wake-ups were found.
 *
 * <pre>
 * java -cp f2p-benchmarks/target/benchmarks.jar dev.f2p.benchmarks.remote.RemoteEngineWakeups [openai|oip-rest|oip-grpc]
 * </pre>
 */
public final class RemoteEngineWakeups {
  private static final int CALLS = 2_000;

  private RemoteEngineWakeups() {}

  public static void main(String[] args) throws Exception {
    RemoteEngineBenchmark ops = new RemoteEngineBenchmark();
    ops.protocol = args.length > 0 ? args[0] : "openai";
    ops.start();
    try {
      for (int round = 0; round < 2; round++) {
        count("bare call", ops::bareHttp);
        count("engine", ops::engine);
      }
    } finally {
      ops.stop();
    }
  }

  private static void count(String name, Callable<?> call) throws Exception {
    for (int i = 0; i < CALLS; i++) {
      call.call(); // warm-up, and the connection made
    }
    Map<String, Long> before = switchesByThread();
    for (int i = 0; i < CALLS; i++) {
      call.call();
    }
    Map<String, Long> after = switchesByThread();
    StringBuilder line = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      double perCall = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / (double) CALLS;
      total += perCall;
      if (perCall >= 0.05) {
        line.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), perCall));
      }
    }
    System.out.printf(Locale.ROOT, "%-9s %.2f context switches per call:%s%n", name, total, line);
  }

  /** Voluntary and involuntary context switches so far, summed per thread name with its numbers folded. */
  private static Map<String, Long> switchesByThread() throws IOException {
    Map<String, Long> byName = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "N");
          long switches = 0;
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.contains("ctxt_switches")) {
              switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
          byName.merge(name, switches, Long::sum);
        } catch (IOException e) {
          // The thread ended between the listing and the read: its switches are gone either way.
        }
      }
    }
    return byName;
  }
}
