package dev.f2p.core.testing;

import dev.f2p.core.EditRequest;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Authenticator;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.testing.TestClients;
import dev.f2p.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/** Small real policies for core tests: a one-key authenticator, an ImageIO validator, an inverting engine. */
public final class Fixtures {
  public static final String KEY = "f2p_test_4f9a1c2b7d8e0f11a2b3c4d5e6f70819";
  public static final String ADMIN_KEY = "f2p_test_admin_0011223344556677889900aa";

  private Fixtures() {}

  public static byte[] png(int width, int height) {
    return TestImages.encode(TestImages.gradient(width, height), "png");
  }

  public static EditRequest.Builder request() {
    return EditRequest.builder().apiKey(KEY).clientAddress("203.0.113.7").prompt("a portrait in a garden")
        .image(png(96, 96)).size(96, 96).steps(2).seed(42);
  }

  public static Authenticator oneKey() {
    return (key, address) -> switch (key) {
      case KEY -> Decision.allow(new Principal("alice", Set.of(Role.USER), "f2p_test_4f9a"));
      case ADMIN_KEY -> Decision.allow(new Principal("root", Set.of(Role.ADMIN), "f2p_test_admi"));
      default -> Decision.reject(ReasonCode.UNAUTHENTICATED);
    };
  }

  public static ImageValidator imageIo() {
    return (bytes, principal) -> {
      try {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        return image == null ? Decision.reject(ReasonCode.IMAGE_REJECTED)
            : Decision.allow(new ValidatedImage(image, "PNG"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Inverts the input, resized to the requested size; counts calls. */
  public static class InvertingEngine implements ImageEditEngine {
    public final AtomicInteger calls = new AtomicInteger();

    @Override
    public GeneratedImage edit(EngineRequest request) {
      calls.incrementAndGet();
      BufferedImage out = new BufferedImage(request.width(), request.height(), BufferedImage.TYPE_INT_RGB);
      BufferedImage in = request.image();
      for (int y = 0; y < request.height(); y++) {
        for (int x = 0; x < request.width(); x++) {
          int rgb = in.getRGB(x * in.getWidth() / request.width(), y * in.getHeight() / request.height());
          out.setRGB(x, y, ~rgb & 0xFFFFFF);
        }
      }
      for (int step = 1; step <= request.steps(); step++) {
        request.progress().onStep(step, request.steps());
      }
      return new GeneratedImage(out, "inverter-1");
    }

    @Override
    public String modelId() {
      return "inverter-1";
    }
  }

  /** A guard with a fixed number of slots that counts what is held. */
  public static final class CountingGuard implements ResourceGuard {
    public final AtomicInteger held = new AtomicInteger();
    public final AtomicInteger failures = new AtomicInteger();

    @Override
    public Decision<Lease> acquire(Principal principal, EditRequest request) {
      held.incrementAndGet();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      return Decision.allow(new Lease() {
        private boolean closed;

        @Override
        public Instant deadline() {
          return deadline;
        }

        @Override
        public void engineFailed() {
          failures.incrementAndGet();
        }

        @Override
        public synchronized void close() {
          if (!closed) {
            closed = true;
            held.decrementAndGet();
          }
        }
      });
    }
  }

  public static ImageEditClient.Builder client(InvertingEngine engine, CountingGuard guard, TestClients.Recorder events) {
    return ImageEditClient.builder()
        .authenticator(oneKey())
        .rateLimiter((p, a) -> Decision.allow(new Quota("per-key", 10, Duration.ofMinutes(1), 9, Duration.ZERO)))
        .promptFilter((prompt, p) -> prompt.contains("forbidden")
            ? Decision.reject(dev.f2p.core.Rejection.of(ReasonCode.PROMPT_REJECTED, "VIOLENCE", "The prompt is not allowed."))
            : Decision.allow(prompt))
        .imageValidator(imageIo())
        .resourceGuard(guard)
        .engine(engine)
        .addListener(events);
  }
}
