package dev.f2p.examples.bundle;

import dev.f2p.engine.djl.BundleTools;
import dev.f2p.engine.djl.BundleVerificationException;
import dev.f2p.engine.djl.BundleVerifier;
import dev.f2p.engine.djl.KeyProvider;
import dev.f2p.engine.djl.VerifiedBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model bundle tool: writes a manifest, signs (OMS v1.0, ECDSA key), encrypts components
 * (AES-256-GCM) and verifies, printing what is wrong.
 *
 * <pre>
 * bundle manifest DIR [--name N] [--version V] [--kind single-pass|flow-matching]
 * bundle sign DIR --key PRIVATE.pem [--public-key PUBLIC.pem]
 * bundle encrypt DIR --component NAME --key-file FILE
 * bundle verify DIR [--trusted-key PUBLIC.pem]... [--key-file FILE]
 * </pre>
 *
 * Exit status: 0 done, 1 the bundle was refused or the operation failed, 2 wrong usage.
 */
public final class BundleCommand {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  static final String HELP = """
      Usage: bundle COMMAND DIR [OPTIONS]
        manifest DIR [--name N] [--version V] [--kind single-pass|flow-matching]
            write bundle.json: refresh every listed file's sha256 and size, or write a skeleton to complete
        sign DIR --key PRIVATE.pem [--public-key PUBLIC.pem]
            write the OMS v1.0 signature DIR/model.sig (ECDSA P-256/P-384; public key defaults to
            PRIVATE.pub.pem beside the private key)
        encrypt DIR --component NAME --key-file FILE
            encrypt one component with AES-256-GCM (key: 32 bytes, base64 or hex, file mode 600); sign again after
        verify DIR [--trusted-key PUBLIC.pem]... [--key-file FILE]
            verify the bundle (and decrypt its encrypted components with the key) and print what is wrong
      Exit status: 0 done, 1 refused or failed, 2 wrong usage.
      """;

  private BundleCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      (args.length == 0 ? err : out).print(HELP);
      return args.length == 0 ? USAGE : OK;
    }
    if (args.length < 2) {
      err.println("bundle " + args[0] + ": missing DIR");
      err.print(HELP);
      return USAGE;
    }
    Path dir = Path.of(args[1]);
    Map<String, List<String>> options;
    try {
      options = options(args, switch (args[0]) {
        case "manifest" -> Set.of("--name", "--version", "--kind");
        case "sign" -> Set.of("--key", "--public-key");
        case "encrypt" -> Set.of("--component", "--key-file");
        case "verify" -> Set.of("--trusted-key", "--key-file");
        default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
      });
      return switch (args[0]) {
        case "manifest" -> manifest(dir, options, out);
        case "sign" -> sign(dir, options, out);
        case "encrypt" -> encrypt(dir, options, out);
        default -> verify(dir, options, out, err);
      };
    } catch (IllegalArgumentException e) {
      err.println("bundle: " + e.getMessage());
      err.print(HELP);
      return USAGE;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      err.println("bundle " + args[0] + " failed: " + e.getMessage());
      return FAILED;
    }
  }

  private static int manifest(Path dir, Map<String, List<String>> o, PrintStream out) throws IOException {
    Path written = BundleTools.writeManifest(dir, one(o, "--name", dir.toAbsolutePath().getFileName().toString()),
        one(o, "--version", "1.0.0"), one(o, "--kind", "single-pass"));
    out.println("wrote " + written);
    return OK;
  }

  private static int sign(Path dir, Map<String, List<String>> o, PrintStream out)
      throws IOException, GeneralSecurityException {
    Path key = Path.of(required(o, "--key"));
    String defaultPublic = key.toString().endsWith(".pem")
        ? key.toString().substring(0, key.toString().length() - 4) + ".pub.pem" : key + ".pub";
    Path signature = BundleTools.sign(dir, key, Path.of(one(o, "--public-key", defaultPublic)));
    out.println("signed " + dir + " -> " + signature);
    return OK;
  }

  private static int encrypt(Path dir, Map<String, List<String>> o, PrintStream out)
      throws IOException, GeneralSecurityException {
    String component = required(o, "--component");
    Path keyFile = Path.of(required(o, "--key-file"));
    Path written = BundleTools.encrypt(dir, component, KeyProvider.fromFile(keyFile).bundleKey(""));
    out.println("encrypted " + component + " -> " + written + " (sign the bundle again)");
    return OK;
  }

  private static int verify(Path dir, Map<String, List<String>> o, PrintStream out, PrintStream err)
      throws IOException {
    BundleVerifier.Builder b = BundleVerifier.builder();
    for (String k : o.getOrDefault("--trusted-key", List.of())) {
      b.trustedKey(Path.of(k));
    }
    if (o.containsKey("--key-file")) {
      b.keyProvider(KeyProvider.fromFile(Path.of(one(o, "--key-file", ""))));
    }
    try {
      VerifiedBundle v = b.build().verify(dir);
      out.println("OK " + v.name() + ":" + v.version() + " (" + v.kind() + "), " + v.files().size() + " files, "
          + v.signerFingerprint().map(f -> "signed by key " + f).orElse("unsigned"));
      return OK;
    } catch (BundleVerificationException e) {
      err.println("REFUSED " + e.getMessage());
      return FAILED;
    }
  }

  private static Map<String, List<String>> options(String[] args, Set<String> allowed) {
    Map<String, List<String>> o = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      String name = args[i];
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException("unknown option '" + name + "' for " + args[0]);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      o.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
    }
    o.forEach((k, v) -> {
      if (v.size() > 1 && !k.equals("--trusted-key")) {
        throw new IllegalArgumentException(k + " given twice");
      }
    });
    return o;
  }

  private static String required(Map<String, List<String>> o, String name) {
    List<String> v = o.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v.get(0);
  }

  private static String one(Map<String, List<String>> o, String name, String defaultValue) {
    List<String> v = o.get(name);
    return v == null ? defaultValue : v.get(0);
  }

}
