package dev.f2p.examples.demo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** What an attacker with write access to the model folder would do. */
final class Tamper {
  private Tamper() {}

  /** Flips one bit in the middle of the file, in place. */
  static void flipOneByte(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long at = f.length() / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }
}
