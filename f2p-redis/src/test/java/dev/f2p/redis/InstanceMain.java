package dev.f2p.redis;

import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One instance of a host, in its own JVM: builds a client from a properties file, waits for a start
 * file (so the instances run at the same time), sends {@code count} requests with one key and prints
 * {@code ALLOWED <n> REJECTED <n>}. Arguments: settings file, API key, client address, count, start file.
 */
public final class InstanceMain {
  private InstanceMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
      p.load(r);
    }
    Map<String, String> settings = new HashMap<>();
    p.stringPropertyNames().forEach(n -> settings.put(n, p.getProperty(n)));
    int count = Integer.parseInt(args[3]);
    Path start = Path.of(args[4]);
    try (ImageEditClient client = TestPipeline.client(settings)) {
      // A failed authentication, so the shared lockout store writes a counter.
      client.edit(TestPipeline.request("f2p_nosuchkey_00000000000000000000", args[2]));
      System.out.println("READY");
      System.out.flush();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.exists(start) && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      int allowed = 0;
      int rejected = 0;
      for (int i = 0; i < count; i++) {
        EditResult result = client.edit(TestPipeline.request(args[1], args[2]));
        if (result instanceof EditResult.Success) {
          allowed++;
        } else {
          rejected++;
        }
      }
      System.out.println("ALLOWED " + allowed + " REJECTED " + rejected);
    }
  }
}
