package dev.f2p.security.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With no SLF4J provider on the class path (a child JVM whose class path lacks Logback), the security log
 * would vanish: building it fails, or with {@code require-provider=false} warns on standard error.
 */
class NoLoggingProviderTest {
  @ParameterizedTest
  @CsvSource({
      "true, REFUSED f2p.listener.slf4j.require-provider | SLF4J has no logging provider on the class path",
      "false, BUILT"})
  void theSecurityLogCannotVanishSilently(String require, String expected) throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("logback"))
        .collect(Collectors.joining(File.pathSeparator));
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, NoProviderMain.class.getName(), require)).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).as("stderr: %s", err).startsWith(expected);
    if (require.equals("false")) {
      assertThat(err).contains("F2P Guard WARNING: SLF4J has no logging provider");
    }
  }
}
