package dev.f2p.examples.demo;

import dev.f2p.core.spi.ProgressListener;
import java.io.PrintStream;

/**
 * Inference progress: a bar redrawn in place on a terminal, one plain line per step otherwise (a log, a
 * pipe, CI).
 */
final class ProgressBar implements ProgressListener {
  private final PrintStream out;
  private final int width;
  private final boolean terminal;

  ProgressBar(PrintStream out, int width) {
    this(out, width, System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM")));
  }

  ProgressBar(PrintStream out, int width, boolean terminal) {
    this.out = out;
    this.width = width;
    this.terminal = terminal;
  }

  @Override
  public void onStep(int step, int totalSteps) {
    if (!terminal) {
      out.printf("   step %d/%d%n", step, totalSteps);
      return;
    }
    int filled = width * step / totalSteps;
    out.printf("\r   [%s%s] %d/%d", "#".repeat(filled), " ".repeat(width - filled), step, totalSteps);
    if (step == totalSteps) {
      out.println();
    }
    out.flush();
  }
}
