package dev.f2p.examples;

import dev.f2p.core.EditRequest;
import dev.f2p.core.EditResult;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.Principal;
import dev.f2p.core.ReasonCode;
import dev.f2p.core.Role;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.EngineRequest;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.RateLimiter;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.ValidatedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The README's first command: sends one request through the whole pipeline and prints the outcome.
 * (Foundation version: the policies here are the smallest real ones core allows; the demo issue turns
 * this into the full demo on the security policies and the DJL engine.)
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws IOException {
    String key = "f2p_demo_" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    try (ImageEditClient client = ImageEditClient.builder()
        .authenticator((presented, address) -> presented.equals(key)
            ? Decision.allow(new Principal("demo-user", Set.of(Role.USER), "f2p_demo"))
            : Decision.reject(ReasonCode.UNAUTHENTICATED))
        .rateLimiter(RateLimiter.unlimited())
        .promptFilter(PromptFilter.acceptAll())
        .imageValidator((bytes, principal) -> {
          try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            return image == null ? Decision.reject(ReasonCode.IMAGE_REJECTED)
                : Decision.allow(new ValidatedImage(image, "PNG"));
          } catch (IOException e) {
            return Decision.reject(ReasonCode.IMAGE_REJECTED);
          }
        })
        .resourceGuard(ResourceGuard.unguarded(Duration.ofSeconds(30), Clock.systemUTC()))
        .engine(new ImageEditEngine() {
          @Override
          public GeneratedImage edit(EngineRequest request) {
            BufferedImage out = new BufferedImage(request.width(), request.height(), BufferedImage.TYPE_INT_RGB);
            out.createGraphics().drawImage(request.image(), 0, 0, request.width(), request.height(), null);
            return new GeneratedImage(out, modelId());
          }

          @Override
          public String modelId() {
            return "resize-1";
          }
        })
        .addListener(event -> System.out.println("  event: " + event))
        .build()) {
      BufferedImage face = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(face, "png", png);
      EditRequest request = EditRequest.builder().apiKey(key).clientAddress("127.0.0.1")
          .image(png.toByteArray()).prompt("a portrait").size(256, 256).steps(4).build();
      EditResult ok = client.edit(request);
      System.out.println("valid key   -> " + ok);
      EditResult bad = client.edit(request.toBuilder().apiKey("f2p_wrong").build());
      System.out.println("invalid key -> " + bad);
    }
  }
}
