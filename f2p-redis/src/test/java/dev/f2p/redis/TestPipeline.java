package dev.f2p.redis;

import dev.f2p.core.EditRequest;
import dev.f2p.core.ImageEditClient;
import dev.f2p.core.spi.Decision;
import dev.f2p.core.spi.GeneratedImage;
import dev.f2p.core.spi.ImageEditEngine;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.PromptFilter;
import dev.f2p.core.spi.ResourceGuard;
import dev.f2p.core.spi.ValidatedImage;
import dev.f2p.core.ReasonCode;
import dev.f2p.security.auth.ApiKeys;
import dev.f2p.security.auth.FileApiKeyStore;
import dev.f2p.security.auth.IssuedKey;
import dev.f2p.security.auth.KeyHasher;
import dev.f2p.core.Role;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;

/** The rest of the pipeline for these tests: an ImageIO validator and an engine that returns its input. */
final class TestPipeline {
  static final byte[] PNG = png();

  private TestPipeline() {}

  /** A client configured from {@code settings} (authenticator, authorizers, rate limiter) plus test policies. */
  static ImageEditClient client(Map<String, String> settings) {
    return ImageEditClient.builder().configure(settings)
        .promptFilter(PromptFilter.acceptAll())
        .imageValidator(imageIo())
        .resourceGuard(ResourceGuard.unguarded(Duration.ofSeconds(30), Clock.systemUTC()))
        .engine(echo())
        .build();
  }

  /** Settings for an instance whose keys, lockouts, incidents and limits all live in Redis. */
  static Map<String, String> redisSettings(String uri, Path keyFile, String limit) {
    Map<String, String> s = new HashMap<>();
    s.put("f2p.authenticator.type", "api-key");
    s.put("f2p.authenticator.file", keyFile.toString());
    s.put("f2p.authenticator.lockout.store", "redis");
    s.put("f2p.redis.uri", uri);
    // Several JVMs start at once on a loaded machine: give the first connection time.
    s.put("f2p.redis.connect-timeout", "10s");
    // The machine running the tests is shared and loaded: a slow answer here is not an outage.
    s.put("f2p.redis.command-timeout", "5s");
    s.put("f2p.authorizers", "incident");
    s.put("f2p.authorizer.incident.store", "redis");
    s.put("f2p.rate-limiter.type", "redis");
    s.put("f2p.rate-limiter.limits.default", limit);
    s.put("f2p.rate-limiter.address", "none");
    return s;
  }

  static IssuedKey issueKey(Path keyFile, String principal) {
    try {
      return new ApiKeys(FileApiKeyStore.open(keyFile), KeyHasher.sha256(), Clock.systemUTC())
          .issue(principal, Set.of(Role.USER), Optional.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EditRequest request(String apiKey, String address) {
    return EditRequest.builder().apiKey(apiKey).clientAddress(address).prompt("a portrait in a garden")
        .image(PNG).size(64, 64).steps(1).seed(7).build();
  }

  static ImageValidator imageIo() {
    return (bytes, principal) -> {
      try {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        return image == null ? Decision.reject(ReasonCode.IMAGE_REJECTED) : Decision.allow(new ValidatedImage(image, "png"));
      } catch (IOException e) {
        return Decision.reject(ReasonCode.IMAGE_REJECTED);
      }
    };
  }

  static ImageEditEngine echo() {
    return new ImageEditEngine() {
      @Override
      public GeneratedImage edit(dev.f2p.core.spi.EngineRequest request) {
        return new GeneratedImage(request.image(), modelId());
      }

      @Override
      public String modelId() {
        return "echo";
      }
    };
  }

  private static byte[] png() {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, x << 18 | y << 10 | 0x40);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
