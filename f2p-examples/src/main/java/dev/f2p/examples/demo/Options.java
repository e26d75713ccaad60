package dev.f2p.examples.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The demo's command line. */
final class Options {
  static final String USAGE = """
      usage: Demo [--image PATH] [--prompt TEXT] [--out DIR] [--models DIR]
        --image PATH   a face photo (PNG or JPEG); default: a face the demo draws
        --prompt TEXT  the edit prompt; default: "%s"
        --out DIR      where result.png and before-after.png go; default: demo-output
        --models DIR   the folder holding single-pass/ and keys/; default: the repository's models
        --help         this text""".formatted(Demo.DEFAULT_PROMPT);

  boolean help;
  Optional<Path> image = Optional.empty();
  String prompt = Demo.DEFAULT_PROMPT;
  Path out = Path.of("demo-output");
  Optional<Path> models = Optional.empty();

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> o.help = true;
        case "--image" -> {
          Path image = Path.of(value(args, ++i, arg));
          if (!Files.isRegularFile(image)) {
            throw new IllegalArgumentException("--image: no such file: " + image);
          }
          o.image = Optional.of(image);
        }
        case "--prompt" -> o.prompt = value(args, ++i, arg);
        case "--out" -> o.out = Path.of(value(args, ++i, arg));
        case "--models" -> o.models = Optional.of(Path.of(value(args, ++i, arg)));
        default -> throw new IllegalArgumentException("unknown option: " + arg);
      }
    }
    return o;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].isBlank()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
