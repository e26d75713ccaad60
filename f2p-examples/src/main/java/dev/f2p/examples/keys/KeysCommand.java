package dev.f2p.examples.keys;

import dev.f2p.core.Role;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.auth.ApiKeyAuthenticatorProvider;
import dev.f2p.security.auth.ApiKeyRecord;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.FileApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHasher;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Issues, lists, rotates and revokes API keys in a key file (the file the {@code api-key} authenticator
 * reads). A new key is printed once, on standard output, and stored only as a hash. Run with
 * {@code --help} for the usage. Exit codes: 0 done, 1 refused or an invalid value, 2 a usage error.
 */
public final class KeysCommand {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;

  private static final String HELP = """
      Usage: keys <command> [options] --file FILE [--pepper-env NAME]

        issue  --principal ID --roles ROLE[,ROLE...] [--expires 30d]   issue a key; it is shown once
        list                                                            list keys (never the keys themselves)
        rotate --key-id ID [--grace 1h]                                 issue a successor; the old key works for the grace
        revoke --key-id ID                                              refuse the key from the next request on

        --file FILE        the key file (created by the first issue)
        --pepper-env NAME  the environment variable holding the HMAC pepper; the server must use the same
        --help             this text

      Durations: 30s, 10m, 1h, 30d or ISO-8601 (PT1H). Exit codes: 0 done, 1 refused or invalid, 2 usage.
      """;

  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "issue", Set.of("--principal", "--roles", "--expires"),
      "list", Set.of(),
      "rotate", Set.of("--key-id", "--grace"),
      "revoke", Set.of("--key-id"));

  private final UnaryOperator<String> env;
  private final Clock clock;

  /** A command reading the pepper from the process environment, on the system clock. */
  public KeysCommand() {
    this(System::getenv, Clock.systemUTC());
  }

  /** A command with its environment and clock given (for tests). */
  public KeysCommand(UnaryOperator<String> env, Clock clock) {
    this.env = Objects.requireNonNull(env, "env");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static void main(String[] args) {
    System.exit(new KeysCommand().run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code. Never throws for bad input. */
  public int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(HELP);
      return USAGE;
    }
    if (List.of(args).contains("--help")) {
      out.print(HELP);
      return OK;
    }
    String command = args[0];
    Set<String> allowed = OPTIONS.get(command);
    if (allowed == null) {
      err.println("Unknown command: " + printable(command) + " (try --help)");
      return USAGE;
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      String name = args[i];
      if (!(allowed.contains(name) || name.equals("--file") || name.equals("--pepper-env"))) {
        err.println("Unknown option for " + command + ": " + printable(name) + " (try --help)");
        return USAGE;
      }
      if (i + 1 >= args.length) {
        err.println("Option " + name + " needs a value");
        return USAGE;
      }
      if (options.put(name, args[i + 1]) != null) {
        err.println("Option " + name + " given twice");
        return USAGE;
      }
    }
    List<String> required = switch (command) {
      case "issue" -> List.of("--file", "--principal", "--roles");
      case "rotate", "revoke" -> List.of("--file", "--key-id");
      default -> List.of("--file");
    };
    for (String r : required) {
      if (!options.containsKey(r)) {
        err.println("Missing " + r + " for " + command + " (try --help)");
        return USAGE;
      }
    }
    try {
      ApiKeys keys = new ApiKeys(FileApiKeyStore.open(Path.of(options.get("--file")), clock, Duration.ZERO),
          hasher(options.get("--pepper-env")), clock);
      return switch (command) {
        case "issue" -> issue(keys, options, out, err);
        case "list" -> list(keys, out);
        case "rotate" -> rotate(keys, options, out, err);
        default -> revoke(keys, options, out, err);
      };
    } catch (IllegalArgumentException e) {
      err.println("Invalid: " + e.getMessage());
      return REFUSED;
    } catch (IOException | UncheckedIOException e) {
      err.println("Could not use the key file: " + e.getMessage());
      return REFUSED;
    }
  }

  private KeyHasher hasher(String pepperEnv) {
    Map<String, String> settings = new HashMap<>();
    if (pepperEnv != null) {
      String value = env.apply(pepperEnv);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("environment variable " + pepperEnv + " is not set");
      }
      settings.put("pepper", value);
    }
    return ApiKeyAuthenticatorProvider.hasher(PolicySettings.of(settings));
  }

  private static int issue(ApiKeys keys, Map<String, String> o, PrintStream out, PrintStream err) {
    Set<Role> roles = new LinkedHashSet<>();
    for (String r : o.get("--roles").split(",")) {
      if (!r.isBlank()) {
        roles.add(Role.of(r));
      }
    }
    Optional<Duration> expires = Optional.ofNullable(o.get("--expires")).map(v -> PolicySettings.parseDuration("--expires", v));
    IssuedKey issued = keys.issue(o.get("--principal"), roles, expires);
    describe(issued.record(), err);
    err.println("The key is shown once; store it now:");
    out.println(issued.key());
    return OK;
  }

  private static int list(ApiKeys keys, PrintStream out) {
    out.printf("%-12s  %-10s  %-24s  %-20s  %-20s  %s%n", "KEY ID", "STATE", "PRINCIPAL", "CREATED", "EXPIRES", "ROLES");
    for (ApiKeyRecord r : keys.list()) {
      out.printf("%-12s  %-10s  %-24s  %-20s  %-20s  %s%n", r.keyId(), r.state(), r.principalId(), r.created(),
          r.expires().map(Object::toString).orElse("never"), String.join(",", r.roles().stream().map(Role::name).sorted().toList()));
    }
    return OK;
  }

  private static int rotate(ApiKeys keys, Map<String, String> o, PrintStream out, PrintStream err) {
    Duration grace = PolicySettings.parseDuration("--grace", o.getOrDefault("--grace", "1h"));
    Optional<IssuedKey> issued = keys.rotate(o.get("--key-id"), grace);
    if (issued.isEmpty()) {
      err.println("No valid key with id " + printable(o.get("--key-id")) + ": nothing rotated");
      return REFUSED;
    }
    err.println("Key " + o.get("--key-id") + " keeps working for " + grace + "; its successor:");
    describe(issued.get().record(), err);
    err.println("The key is shown once; store it now:");
    out.println(issued.get().key());
    return OK;
  }

  private static int revoke(ApiKeys keys, Map<String, String> o, PrintStream out, PrintStream err) {
    if (!keys.revoke(o.get("--key-id"))) {
      err.println("No active key with id " + printable(o.get("--key-id")) + ": nothing revoked");
      return REFUSED;
    }
    out.println("Revoked " + o.get("--key-id"));
    return OK;
  }

  private static void describe(ApiKeyRecord r, PrintStream err) {
    err.println("Key id:    " + r.keyId());
    err.println("Principal: " + r.principalId());
    err.println("Roles:     " + String.join(",", r.roles().stream().map(Role::name).sorted().toList()));
    err.println("Expires:   " + r.expires().map(Object::toString).orElse("never"));
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
