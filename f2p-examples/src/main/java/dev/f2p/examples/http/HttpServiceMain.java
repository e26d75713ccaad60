package dev.f2p.examples.http;

import dev.f2p.core.ImageEditClient;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.metrics.MicrometerSecurityMetricsProvider;
import dev.f2p.security.incident.IncidentControl;
import dev.f2p.security.incident.IncidentControlProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Starts the {@link HttpService} from the command line:
 *
 * <pre>
 * java -cp ... dev.f2p.examples.http.HttpServiceMain --settings f2p.properties --keys keys.json --bundle model/
 * </pre>
 *
 * The settings file holds the {@code f2p.*} names the ServiceLoader providers read (see the README);
 * {@code --keys}, {@code --bundle} and {@code --redis} set {@code f2p.authenticator.file},
 * {@code f2p.engine.bundle} and {@code f2p.redis.uri} over it. Stops gracefully on SIGTERM or Ctrl-C.
 * Exit codes: 0 done, 1 refused (settings, policies or the port), 2 usage.
 */
public final class HttpServiceMain {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;
  /** {@link #launch} started the service; the JVM keeps running until it is stopped. */
  static final int RUNNING = -1;

  static final String HELP = """
      Usage: HttpServiceMain [options]
      Runs the F2P Guard HTTP service: POST /generate (multipart, X-API-Key), GET /health,
      GET /metrics (admin key), POST/DELETE /admin/... (admin key).

      Options:
        --settings FILE         policy settings (.properties with the f2p.* names the providers read)
        --keys FILE             the API key file (sets f2p.authenticator.file)
        --bundle DIR            the model bundle (sets f2p.engine.bundle)
        --redis URI             shared state in Redis (sets f2p.redis.uri)
        --port N                TCP port, 0 for any free one (default 8080)
        --bind ADDRESS          IP address to listen on (default 127.0.0.1, loopback only)
        --max-body SIZE         largest request body, bytes or with k/m (default 12m)
        --max-connections N     most open connections (default 128)
        --max-concurrent N      most requests handled at once; more get 503 (default 16)
        --read-timeout DURATION time to send a whole request, such as 30s (default 30s)
        --response-timeout DURATION  time from request to end of response (default 5m)
        --grace DURATION        time in-flight requests get on shutdown (default 30s)
        --trusted-proxies N     proxies in front that append to X-Forwarded-For (default 0: the socket's
                                address); the client is the Nth entry from the right, junk is a 400
        --trust-forwarded-for   the same as --trusted-proxies 1
        --help                  print this help and exit

      Exit codes: 0 ok, 1 refused (settings, policies, port), 2 usage.
      """;

  private HttpServiceMain() {}

  public static void main(String[] args) {
    int code = launch(args, System.out, System.err);
    if (code != RUNNING) {
      System.exit(code);
    }
  }

  /** Parses, builds and starts; returns an exit code, or {@link #RUNNING} once the service listens. */
  static int launch(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println("Try --help.");
      return USAGE;
    }
    if (options.help) {
      out.print(HELP);
      return OK;
    }
    HttpService service;
    try {
      service = start(options);
    } catch (Exception e) {
      // The message names the setting or the address; the stack trace helps nobody at a prompt.
      err.println("error: " + e.getMessage());
      return REFUSED;
    }
    Duration grace = options.grace;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> service.stop(grace), "f2p-http-shutdown"));
    out.println("F2P Guard HTTP service on http://" + service.address().getHostString() + ":" + service.port());
    return RUNNING;
  }

  /** Loads the settings, builds the client from them and starts the service. */
  static HttpService start(Options options) throws IOException {
    PolicySettings settings = PolicySettings.of(options.settings());
    // Shared before the providers run, so f2p.listeners=micrometer records into the registry /metrics serves.
    PrometheusMeterRegistry registry = settings.shared(MicrometerSecurityMetricsProvider.REGISTRY_KEY,
        PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    ImageEditClient client = ImageEditClient.builder().configure(settings).build();
    try {
      // The incident control the settings built (f2p.authorizers=...,incident) backs the admin endpoints.
      AdminActions admin = settings.findShared(IncidentControlProvider.SHARED_KEY, IncidentControl.class)
          .<AdminActions>map(IncidentAdminActions::new).orElse(AdminActions.none());
      HttpService.Builder b = HttpService.builder(client).port(options.port).bind(options.bind)
          .maxConnections(options.maxConnections).maxConcurrent(options.maxConcurrent)
          .readTimeout(options.readTimeout).responseTimeout(options.responseTimeout).grace(options.grace)
          .trustedProxies(options.trustedProxies)
          .adminActions(admin)
          .meterRegistry(registry).metricsSource(registry::scrape);
      if (options.maxBody > 0) {
        b.maxBodyBytes(options.maxBody);
      }
      return b.start();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The parsed command line. */
  static final class Options {
    boolean help;
    Path settingsFile;
    Path keys;
    Path bundle;
    String redis;
    int port = HttpService.DEFAULT_PORT;
    String bind = HttpService.DEFAULT_BIND;
    long maxBody;
    int maxConnections = HttpService.DEFAULT_MAX_CONNECTIONS;
    int maxConcurrent = HttpService.DEFAULT_MAX_CONCURRENT;
    Duration readTimeout = HttpService.DEFAULT_READ_TIMEOUT;
    Duration responseTimeout = HttpService.DEFAULT_RESPONSE_TIMEOUT;
    Duration grace = HttpService.DEFAULT_GRACE;
    int trustedProxies;

    static Options parse(String[] args) {
      Options o = new Options();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        }
        if (!seen.add(name)) {
          throw new IllegalArgumentException(name + " is given twice");
        }
        switch (name) {
          case "--help", "-h" -> o.help = true;
          case "--trust-forwarded-for" -> o.trustedProxies = 1;
          default -> {
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
              }
              value = args[++i];
            }
            o.set(name, value);
          }
        }
      }
      return o;
    }

    private void set(String name, String v) {
      switch (name) {
        case "--settings" -> settingsFile = Path.of(v);
        case "--keys" -> keys = Path.of(v);
        case "--bundle" -> bundle = Path.of(v);
        case "--redis" -> redis = v;
        case "--port" -> port = integer(name, v, 0, 65535);
        case "--bind" -> {
          if (dev.f2p.core.ClientAddress.parse(v).isEmpty()) {
            throw new IllegalArgumentException("--bind must be an IP address: " + v);
          }
          bind = v;
        }
        case "--max-body" -> maxBody = size(name, v);
        case "--max-connections" -> maxConnections = integer(name, v, 1, HttpService.MAX_LIMIT);
        case "--max-concurrent" -> maxConcurrent = integer(name, v, 1, HttpService.MAX_LIMIT);
        case "--trusted-proxies" -> trustedProxies = integer(name, v, 0, HttpService.MAX_TRUSTED_PROXIES);
        case "--read-timeout" -> readTimeout = duration(name, v);
        case "--response-timeout" -> responseTimeout = duration(name, v);
        case "--grace" -> grace = duration(name, v);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }

    /** The settings file's {@code f2p.*} values, with the options' values over them. */
    Map<String, String> settings() throws IOException {
      Map<String, String> map = new TreeMap<>();
      if (settingsFile != null) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(settingsFile, StandardCharsets.UTF_8)) {
          p.load(r);
        }
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
      }
      if (keys != null) {
        map.put("f2p.authenticator.file", keys.toString());
      }
      if (bundle != null) {
        map.put("f2p.engine.bundle", bundle.toString());
      }
      if (redis != null) {
        map.put("f2p.redis.uri", redis);
      }
      return map;
    }

    private static int integer(String name, String v, int min, int max) {
      try {
        return HttpService.Builder.requireRange(name, Long.parseLong(v.trim()), min, max);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max + ": " + v);
      }
    }

    private static long size(String name, String v) {
      String s = v.trim().toLowerCase(Locale.ROOT);
      long unit = 1;
      if (s.endsWith("k") || s.endsWith("m")) {
        unit = s.endsWith("k") ? 1024 : 1024 * 1024;
        s = s.substring(0, s.length() - 1);
      }
      try {
        long n = Long.parseLong(s) * unit;
        if (n >= 1024 && n <= dev.f2p.core.EditRequest.MAX_IMAGE_BYTES + 1024L * 1024) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new IllegalArgumentException(name + " must be a size from 1k to 33m: " + v);
    }

    private static Duration duration(String name, String v) {
      Duration d = PolicySettings.parseDuration(name, v);
      if (d.isZero() && !name.equals("--grace")) {
        throw new IllegalArgumentException(name + " must be more than zero: " + v);
      }
      return d;
    }
  }
}
