package dev.f2p.examples.http.fakes;

import dev.f2p.core.EditRequest;
import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Rejection;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.AuthenticatorProvider;
import dev.f2p.core.spi.Authorizer;
import dev.f2p.core.spi.AuthorizerProvider;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineException;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageEditEngineProvider;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.PromptFilterProvider;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.RateLimiterProvider;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ResourceGuardProvider;
import dev.f2p.core.spi.ValidatedImage;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Small test-scope policies that behave like the real ones of f2p-security and f2p-engine-djl, selected by
 * name from settings exactly as those will be: switching to the real ones changes the settings only.
 * Every one reads {@code state} (a {@link TestState} id).
 */
public final class FakePolicies {
  private FakePolicies() {}

  /**
   * {@code test-keys}: API keys from {@code file}, a properties file of {@code secret=principal,ROLE,keyId};
   * a key whose id is revoked in the state is unauthenticated, like an unknown one.
   */
  public static final class Keys implements AuthenticatorProvider {
    @Override
    public String name() {
      return "test-keys";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("state", "file");
    }

    @Override
    public Authenticator create(PolicySettings settings) throws IOException {
      TestState state = TestState.of(settings);
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(settings.getPath("file").orElseThrow(
          () -> new IllegalArgumentException("missing setting " + settings.fullName("file"))))) {
        p.load(r);
      }
      Map<String, Principal> keys = new HashMap<>();
      for (String secret : p.stringPropertyNames()) {
        String[] v = p.getProperty(secret).split(",");
        keys.put(secret, new Principal(v[0].trim(), Set.of(Role.of(v[1])), v[2].trim()));
      }
      return (presented, address) -> {
        Principal principal = keys.get(presented);
        return principal == null || state.revokedKeyIds.contains(principal.keyId())
            ? Decision.reject(ReasonCode.UNAUTHENTICATED) : Decision.allow(principal);
      };
    }
  }

  /**
   * {@code test-incidents}: roles (TRIAL at most {@code trial-max-side} pixels a side), suspensions of
   * principals and addresses (403), lockdown (503), all from the state.
   */
  public static final class Incidents implements AuthorizerProvider {
    @Override
    public String name() {
      return "test-incidents";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("state", "trial-max-side");
    }

    @Override
    public Authorizer create(PolicySettings settings) {
      TestState state = TestState.of(settings);
      int trialMaxSide = settings.getInt("trial-max-side", 256);
      return new Authorizer() {
        @Override
        public Decision<Principal> authorize(Principal principal, EditRequest request) {
          if (state.lockdown != null && !(state.lockdown == dev.f2p.security.incident.LockdownMode.ADMINS_ONLY
              && principal.hasRole(Role.ADMIN))) {
            return Decision.reject(ReasonCode.SERVICE_LOCKED_DOWN);
          }
          if (state.principalSuspended(principal.id()) || state.addressSuspended(request.clientAddress())) {
            return Decision.reject(Rejection.of(ReasonCode.FORBIDDEN, "SUSPENDED", ReasonCode.FORBIDDEN.safeMessage()));
          }
          if (principal.hasRole(Role.TRIAL) && Math.max(request.width(), request.height()) > trialMaxSide) {
            return Decision.reject(Rejection.of(ReasonCode.FORBIDDEN, "ROLE_LIMIT", "This key may not make outputs this large."));
          }
          return principal.hasRole(Role.ADMIN) || principal.hasRole(Role.USER) || principal.hasRole(Role.TRIAL)
              ? Decision.allow(principal) : Decision.reject(ReasonCode.FORBIDDEN);
        }

        @Override
        public Decision<Principal> authorizeAdmin(Principal principal, String action) {
          return principal.hasRole(Role.ADMIN) && !state.principalSuspended(principal.id())
              ? Decision.allow(principal) : Decision.reject(ReasonCode.FORBIDDEN);
        }
      };
    }
  }

  /**
   * {@code test-bucket}: per key, {@code capacity} requests per {@code window}, all refilled at the window's
   * end (exact under concurrency: one lock per key). Reports {@link Quota} {@code per-key}.
   */
  public static final class Bucket implements RateLimiterProvider {
    @Override
    public String name() {
      return "test-bucket";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("capacity", "window");
    }

    @Override
    public RateLimiter create(PolicySettings settings) {
      long capacity = settings.getLong("capacity", 10);
      Duration window = settings.getDuration("window", Duration.ofMinutes(1));
      Map<String, long[]> buckets = new ConcurrentHashMap<>(); // {tokens, windowEndMillis}
      return (principal, address) -> {
        long now = System.currentTimeMillis();
        long[] b = buckets.computeIfAbsent(principal.id(), k -> new long[] {capacity, now + window.toMillis()});
        synchronized (b) {
          if (now >= b[1]) {
            b[0] = capacity;
            b[1] = now + window.toMillis();
          }
          Duration reset = Duration.ofMillis(b[1] - now);
          if (b[0] == 0) {
            Quota q = new Quota("per-key", capacity, window, 0, reset);
            return Decision.reject(Rejection.of(ReasonCode.RATE_LIMITED).withRetryAfter(reset).withQuota(q));
          }
          b[0]--;
          return Decision.allow(new Quota("per-key", capacity, window, b[0], b[0] == 0 ? reset : Duration.ZERO));
        }
      };
    }
  }

  /** {@code test-words}: refuses prompts containing a word of {@code blocked}; "explode" makes it throw. */
  public static final class Words implements PromptFilterProvider {
    @Override
    public String name() {
      return "test-words";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("blocked");
    }

    @Override
    public PromptFilter create(PolicySettings settings) {
      List<String> blocked = settings.getList("blocked");
      return (prompt, principal) -> {
        String p = prompt.toLowerCase(Locale.ROOT);
        if (p.contains("explode")) {
          throw new IllegalStateException("dev.f2p.internal.SecretThing failed at line 42");
        }
        return blocked.stream().anyMatch(p::contains)
            ? Decision.reject(Rejection.of(ReasonCode.PROMPT_REJECTED, "BLOCKED_TERM", "The prompt is not allowed."))
            : Decision.allow(prompt);
      };
    }
  }

  /**
   * {@code test-imageio}: at most {@code max-bytes} (413), formats from the bytes limited to
   * {@code formats} (415), at most {@code max-pixels} read from the header before decoding (413),
   * undecodable (422).
   */
  public static final class ImageIo implements ImageValidatorProvider {
    @Override
    public String name() {
      return "test-imageio";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("max-bytes", "max-pixels", "formats");
    }

    @Override
    public ImageValidator create(PolicySettings settings) {
      long maxBytes = settings.getLong("max-bytes", 1024 * 1024);
      long maxPixels = settings.getLong("max-pixels", 4096L * 4096);
      List<String> formats = settings.getList("formats").isEmpty() ? List.of("PNG", "JPEG")
          : settings.getList("formats").stream().map(f -> f.toUpperCase(Locale.ROOT)).toList();
      return (bytes, principal) -> {
        if (bytes.length > maxBytes) {
          return Decision.reject(image("TOO_LARGE", "The image is too large.", 413));
        }
        String format = sniff(bytes);
        if (!formats.contains(format)) {
          return Decision.reject(image("FORMAT_NOT_ALLOWED", "The image format is not allowed.", 415));
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
          Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
          if (!readers.hasNext()) {
            return Decision.reject(image("UNDECODABLE", "The image cannot be read.", 422));
          }
          ImageReader reader = readers.next();
          try {
            reader.setInput(in, true, true);
            if ((long) reader.getWidth(0) * reader.getHeight(0) > maxPixels) {
              return Decision.reject(image("TOO_MANY_PIXELS", "The image is too large.", 413));
            }
            BufferedImage decoded = reader.read(0);
            BufferedImage rgb = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(decoded, 0, 0, null);
            return Decision.allow(new ValidatedImage(rgb, format));
          } finally {
            reader.dispose();
          }
        } catch (IOException | RuntimeException e) {
          return Decision.reject(image("UNDECODABLE", "The image cannot be read.", 422));
        }
      };
    }

    private static Rejection image(String detail, String message, int status) {
      return Rejection.of(ReasonCode.IMAGE_REJECTED, detail, message).withHttpStatus(status);
    }

    private static String sniff(byte[] b) {
      if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
        return "PNG";
      }
      if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
        return "JPEG";
      }
      if (b.length >= 4 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
        return "GIF";
      }
      if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
        return "BMP";
      }
      return "UNKNOWN";
    }
  }

  /** {@code test-slots}: {@code slots} concurrent leases, OVERLOADED with {@code retry-after} beyond. */
  public static final class Slots implements ResourceGuardProvider {
    @Override
    public String name() {
      return "test-slots";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("state", "slots", "retry-after", "timeout");
    }

    @Override
    public ResourceGuard create(PolicySettings settings) {
      TestState state = TestState.of(settings);
      Semaphore slots = new Semaphore(settings.getInt("slots", 2));
      Duration retryAfter = settings.getDuration("retry-after", Duration.ofSeconds(2));
      Duration timeout = settings.getDuration("timeout", Duration.ofSeconds(60));
      return (principal, request) -> {
        if (!slots.tryAcquire()) {
          return Decision.reject(Rejection.of(ReasonCode.OVERLOADED, "NO_SLOT", ReasonCode.OVERLOADED.safeMessage())
              .withRetryAfter(retryAfter));
        }
        state.openLeases.incrementAndGet();
        Instant deadline = Instant.now().plus(timeout);
        AtomicBoolean closed = new AtomicBoolean();
        return Decision.allow(new Lease() {
          @Override
          public Instant deadline() {
            return deadline;
          }

          @Override
          public void close() {
            if (closed.compareAndSet(false, true)) {
              state.openLeases.decrementAndGet();
              slots.release();
            }
          }
        });
      };
    }
  }

  /**
   * {@code test-engine}: the input scaled to the requested size, model {@code model-id}; a prompt with
   * "slow" waits for the state's release, or {@code slow-time} when set (a child JVM has no test to
   * release it); unavailable while the state says so. With {@code announce=true} it prints when a slow
   * request starts and when it is closed, for a test watching a child JVM.
   */
  public static final class Engine implements ImageEditEngineProvider {
    @Override
    public String name() {
      return "test-engine";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("state", "model-id", "slow-time", "announce");
    }

    @Override
    public ImageEditEngine create(PolicySettings settings) {
      TestState state = TestState.of(settings);
      String modelId = settings.get("model-id", "test-model@1");
      Duration slowTime = settings.getDuration("slow-time", Duration.ZERO);
      boolean announce = settings.getBoolean("announce", false);
      return new ImageEditEngine() {
        @Override
        public GeneratedImage edit(EngineRequest request) throws EngineException {
          state.engineCalls.incrementAndGet();
          if (request.prompt().contains("slow")) {
            state.slowStarted.countDown();
            if (announce) {
              System.out.println("F2P-TEST slow request in the engine");
            }
            try {
              if (!slowTime.isZero()) {
                TimeUnit.NANOSECONDS.sleep(slowTime.toNanos()); // stands for inference time
              } else if (!state.slowRelease.await(30, TimeUnit.SECONDS)) {
                throw new EngineException(ReasonCode.TIMEOUT, "test gate never opened");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new EngineException(ReasonCode.ENGINE_FAILURE, "interrupted");
            }
          }
          BufferedImage out = new BufferedImage(request.width(), request.height(), BufferedImage.TYPE_INT_RGB);
          Graphics2D g = out.createGraphics();
          g.drawImage(request.image(), 0, 0, request.width(), request.height(), null);
          g.dispose();
          return new GeneratedImage(out, modelId);
        }

        @Override
        public String modelId() {
          return modelId;
        }

        @Override
        public boolean isAvailable() {
          return state.engineAvailable && !state.engineClosed;
        }

        @Override
        public void close() {
          state.engineClosed = true;
          if (announce) {
            System.out.println("F2P-TEST engine closed");
          }
        }
      };
    }
  }
}
