package dev.f2p.security.pdq;

import dev.f2p.core.EditRequest;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.Quota;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.SecurityEvent;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.Lease;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.SecurityEventListener;
import dev.f2p.core.spi.ValidatedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;

/** Small real policies for the PDQ pipeline tests (the standard validator lives elsewhere). */
final class PdqFixtures {
  static final String KEY = "f2p_test_pdq_4f9a1c2b7d8e0f11a2b3c4d5";

  private PdqFixtures() {}

  static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EditRequest.Builder request(byte[] image) {
    return EditRequest.builder().apiKey(KEY).clientAddress("203.0.113.7").prompt("a portrait in a garden")
        .image(image).size(96, 96).steps(1).seed(42);
  }

  /** Decodes with ImageIO; refuses what it cannot decode. */
  static ImageValidator imageIo() {
    return (bytes, principal) -> {
      try {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        return image == null ? Decision.reject(ReasonCode.IMAGE_REJECTED)
            : Decision.allow(new ValidatedImage(image, "PNG"), java.util.Map.of("test.decoded", "yes"));
      } catch (IOException e) {
        return Decision.reject(ReasonCode.IMAGE_REJECTED);
      }
    };
  }

  /** Provider {@code pdq-test-imageio}, the delegate in provider tests. */
  public static final class ImageIoProvider implements ImageValidatorProvider {
    @Override
    public String name() {
      return "pdq-test-imageio";
    }

    @Override
    public java.util.Set<String> settingNames(PolicySettings settings) {
      return java.util.Set.of("fail");
    }

    @Override
    public ImageValidator create(PolicySettings settings) {
      settings.get("fail").ifPresent(v -> {
        throw new IllegalArgumentException(settings.fullName("fail") + " asked to fail");
      });
      return imageIo();
    }
  }

  /** Returns a fixed picture, or its input when none is set; counts calls. */
  static final class FixedEngine implements ImageEditEngine {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<BufferedImage> output = new AtomicReference<>();

    @Override
    public GeneratedImage edit(EngineRequest request) {
      calls.incrementAndGet();
      BufferedImage out = output.get();
      return new GeneratedImage(out == null ? request.image() : out, "fixed-1");
    }

    @Override
    public String modelId() {
      return "fixed-1";
    }
  }

  /** Admits everything and counts how often it was asked and what is held. */
  static final class CountingGuard implements ResourceGuard {
    final AtomicInteger asked = new AtomicInteger();
    final AtomicInteger held = new AtomicInteger();

    @Override
    public Decision<Lease> acquire(Principal principal, EditRequest request) {
      asked.incrementAndGet();
      held.incrementAndGet();
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      AtomicInteger closed = new AtomicInteger();
      return Decision.allow(new Lease() {
        @Override
        public Instant deadline() {
          return deadline;
        }

        @Override
        public void close() {
          if (closed.getAndIncrement() == 0) {
            held.decrementAndGet();
          }
        }
      });
    }
  }

  static final class RecordingListener implements SecurityEventListener {
    final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SecurityEvent event) {
      events.add(event);
    }
  }

  /** A client with everything but the image validator and the output policy set. */
  static ImageEditClient.Builder client(FixedEngine engine, CountingGuard guard, RecordingListener events) {
    return ImageEditClient.builder()
        .authenticator((key, address) -> KEY.equals(key)
            ? Decision.allow(new Principal("alice", Set.of(Role.USER), "f2p_test_pdq"))
            : Decision.reject(ReasonCode.UNAUTHENTICATED))
        .rateLimiter((p, a) -> Decision.allow(Quota.NONE))
        .promptFilter((prompt, p) -> Decision.allow(prompt))
        .resourceGuard(guard)
        .engine(engine)
        .addListener(events);
  }
}
