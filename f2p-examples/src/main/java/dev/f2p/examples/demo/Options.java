package dev.f2p.examples.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The demo's command line. */
final class Options {
  static final String USAGE = """
      usage: Demo [--image PATH] [--prompt TEXT] [--out DIR] [--models DIR] [--remote URL [--protocol P] [--model M]]
        --image PATH   a face photo (PNG or JPEG); default: a face the demo draws
        --prompt TEXT  the edit prompt; default: "%s"
        --out DIR      where result.png and before-after.png go; default: demo-output
        --models DIR   the folder holding single-pass/ and keys/; default: the repository's models
        --remote URL   edit on a model server instead of the fixture model, such as https://gpu-1:8000
                       (a comma list, each optionally *capacity); http only on loopback; a bearer token
                       from the environment variable F2P_REMOTE_TOKEN when set
        --protocol P   the server's protocol: openai (vLLM-Omni), oip-rest or oip-grpc; default openai
        --model M      the model name the server must serve; default %s
        --help         this text""".formatted(Demo.DEFAULT_PROMPT, Demo.DEFAULT_REMOTE_MODEL);

  boolean help;
  Optional<Path> image = Optional.empty();
  String prompt = Demo.DEFAULT_PROMPT;
  Path out = Path.of("demo-output");
  Optional<Path> models = Optional.empty();
  Optional<String> remote = Optional.empty();
  Optional<String> protocol = Optional.empty();
  Optional<String> model = Optional.empty();

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
        case "--remote" -> o.remote = Optional.of(value(args, ++i, arg));
        case "--protocol" -> o.protocol = Optional.of(value(args, ++i, arg));
        case "--model" -> o.model = Optional.of(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option: " + arg);
      }
    }
    if (o.remote.isEmpty() && (o.protocol.isPresent() || o.model.isPresent())) {
      throw new IllegalArgumentException("--protocol and --model go with --remote");
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
