package dev.f2p.moderation;

import java.io.IOException;
import java.io.UncheckedIOException;

/** One built-in classifier for every test of this JVM: loading and warming it up is the slow part. */
final class SharedClassifier {
  private static NsfwClassifier instance;

  private SharedClassifier() {}

  static synchronized NsfwClassifier get() {
    if (instance == null) {
      try {
        instance = NsfwClassifier.builder().build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }
}
