package dev.f2p.benchmarks.remote;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A load script (not JMH: it counts, it does not time): the context switches and the CPU time per call of the
 * remote engine and of {@link RemoteEngineBenchmark}'s bare call, per thread (numbers in names folded), read
 * from Linux's {@code /proc/self/task/<tid>/status} and {@code schedstat} around 2,000 calls each, twice,
 * after 30 s of both alternately (C2 is still compiling the engine's path before that). On a virtual machine
 * every thread woken on another CPU costs an inter-processor interrupt, so on a shared machine these counts
 * are a steadier measure of what the engine adds than its time, and they say on which thread: it is how the
 * per-call timer wake-ups were found.
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
      long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < warm) {
        ops.engine();
        ops.bareHttp();
      }
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
    Map<String, long[]> before = byThread();
    for (int i = 0; i < CALLS; i++) {
      call.call();
    }
    Map<String, long[]> after = byThread();
    StringBuilder switches = new StringBuilder();
    StringBuilder cpu = new StringBuilder();
    double[] total = new double[2];
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] was = before.getOrDefault(e.getKey(), new long[2]);
      double switchesPerCall = (e.getValue()[0] - was[0]) / (double) CALLS;
      double microsPerCall = (e.getValue()[1] - was[1]) / 1e3 / CALLS;
      total[0] += switchesPerCall;
      total[1] += microsPerCall;
      if (switchesPerCall >= 0.05) {
        switches.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), switchesPerCall));
      }
      if (microsPerCall >= 0.5) {
        cpu.append(String.format(Locale.ROOT, " %s=%.1f", e.getKey(), microsPerCall));
      }
    }
    System.out.printf(Locale.ROOT, "%-9s %.2f context switches per call:%s%n", name, total[0], switches);
    System.out.printf(Locale.ROOT, "%-9s %.1f us of CPU per call:%s%n", name, total[1], cpu);
  }

  /**
   * Per thread name, numbers folded: voluntary and involuntary context switches so far, and nanoseconds on a
   * CPU ({@code schedstat}'s first field).
   */
  private static Map<String, long[]> byThread() throws IOException {
    Map<String, long[]> byName = new TreeMap<>();
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
          long cpuNanos = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
          long[] sum = byName.computeIfAbsent(name, k -> new long[2]);
          sum[0] += switches;
          sum[1] += cpuNanos;
        } catch (IOException e) {
          // The thread ended between the listing and the read: its counts are gone either way.
        }
      }
    }
    return byName;
  }
}
