package dev.f2p.examples.http;

import dev.f2p.core.Principal;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ValidatedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Run in a JVM of its own by {@link HeapFormulaTest}: the shipped service's image validation chain (built
 * from {@code service.properties}: PDQ over the standard validator with the OpenCV face check), sixteen
 * worst-case uploads at once, each thread first holding what the HTTP service holds for one request body
 * ({@code 4 x max-body}: the multipart buffer as it grows, the form's copy, the request's and the pipeline's).
 * Prints {@code OUTCOME <reason> <detail>} per upload, {@code ERROR <throwable>} for anything thrown, then
 * {@code DONE}. Args: the service settings file, the body limit in bytes, the number of uploads.
 */
public final class WorstCaseUploads {
  private static final Principal CALLER = new Principal("attacker", java.util.Set.of(Role.USER), "key-1");

  private WorstCaseUploads() {}

  public static void main(String[] args) throws Exception {
    Path settingsFile = Path.of(args[0]);
    int maxBody = Integer.parseInt(args[1]);
    int uploads = Integer.parseInt(args[2]);
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(settingsFile, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    Map<String, String> settings = new HashMap<>();
    p.stringPropertyNames().forEach(n -> settings.put(n, p.getProperty(n)));
    PolicySettings all = PolicySettings.of(settings).scope("f2p");
    ImageValidator validator = PolicyProviders.create(ImageValidatorProvider.class, all.require("image-validator.type"),
        all.scope("image-validator"));
    // The bomb of issue 18, and the largest image the defaults accept at its most expensive depth.
    byte[][] inputs = {zeroRgba16(4096, 4096), zeroRgba16(2048, 2048)};
    System.out.println("READY " + validator);

    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < uploads; i++) {
      byte[] upload = inputs[i % 2];
      Thread t = new Thread(() -> {
        try {
          byte[] bodyBuffers = new byte[4 * maxBody];
          start.await();
          Decision<ValidatedImage> d = validator.validate(upload, CALLER);
          String outcome = d instanceof Decision.Rejected<ValidatedImage> r
              ? r.rejection().reason() + " " + r.rejection().detail() : "ALLOWED -";
          System.out.println("OUTCOME " + outcome + " " + bodyBuffers.length);
        } catch (Throwable e) {
          System.out.println("ERROR " + e);
        }
      }, "upload-" + i);
      threads.add(t);
      t.start();
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    System.out.println("DONE");
    System.exit(0);
  }

  /** A PNG of {@code width x height} 16-bit RGBA zeros: rows written through zlib one at a time. */
  static byte[] zeroRgba16(int width, int height) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(compressed)) {
      byte[] row = new byte[1 + 8 * width];
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    try (DataOutputStream h = new DataOutputStream(header)) {
      h.writeInt(width);
      h.writeInt(height);
      h.write(new byte[] {16, 6, 0, 0, 0});
    }
    writeChunk(png, "IHDR", header.toByteArray());
    writeChunk(png, "IDAT", compressed.toByteArray());
    writeChunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void writeChunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
    DataOutputStream out = new DataOutputStream(png);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    out.writeInt((int) crc.getValue());
  }
}
