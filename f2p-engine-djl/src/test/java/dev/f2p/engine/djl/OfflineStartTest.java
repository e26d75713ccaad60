package dev.f2p.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine starts with the network unreachable and tries no connection at all: DJL's usage tracking
 * and downloads are switched off by the engine itself, not by the test environment (the child JVM gets
 * neither {@code OPT_OUT_TRACKING} nor {@code DJL_OFFLINE} nor {@code ai.djl.offline}).
 */
class OfflineStartTest {
  @Test
  void loadsAndRunsWithoutTryingAnyConnection() throws Exception {
    String out = runChild(List.of());
    assertThat(out).contains("LOADED prompt-tint:1.0.0").contains("CONNECTIONS []");
  }

  @Test
  void theProbeSeesDjlTrackingWhenAHostTurnsItBackOn() throws Exception {
    // Proves the probe can fail: with tracking explicitly on, DJL tries the cloud metadata address.
    String out = runChild(List.of("-DOPT_OUT_TRACKING=false", "-Dai.djl.offline=false"));
    assertThat(out).contains("LOADED").contains("169.254.169.254");
  }

  private static String runChild(List<String> jvmOptions) throws IOException, InterruptedException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(jvmOptions);
    cmd.add(OfflineLoadMain.class.getName());
    cmd.add(TestBundles.SINGLE_PASS.toString());
    cmd.add(Integer.toString(closedPort));
    cmd.add("1500");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("OPT_OUT_TRACKING");
    pb.environment().remove("DJL_OFFLINE");
    Process p = pb.start();
    byte[] output = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(output, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
