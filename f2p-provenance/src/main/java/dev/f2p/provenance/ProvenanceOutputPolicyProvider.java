package dev.f2p.provenance;

import dev.f2p.core.spi.OutputPolicy;
import dev.f2p.core.spi.OutputPolicyProvider;
import dev.f2p.core.spi.PolicySettings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Provides {@link ProvenanceOutputPolicy} under the name {@code provenance}
 * ({@code f2p.output-policy.type=provenance}). Settings, under {@code f2p.output-policy.}:
 * <ul>
 *   <li>{@code producer} (required): the {@code ContentProducer};
 *   <li>{@code propagator}: the {@code ContentPropagator}, empty by default;
 *   <li>{@code label.text}: the visible label's lines separated by {@code |}, default {@code AI生成|AI-generated};
 *   <li>{@code label.corner}: {@code top-left}, {@code top-right}, {@code bottom-left} or {@code bottom-right} (default);
 *   <li>{@code format}: {@code png} (default) or {@code jpeg}; {@code jpeg-quality}: 50 to 100, default 90;
 *   <li>{@code watermark.enabled}: default {@code true}; {@code watermark.strength}: 0.5 to 2.0, default 1.0;
 *       {@code watermark.fail-closed}: default {@code true};
 *   <li>{@code watermark.key} (the secret itself, at least 16 bytes of UTF-8) or {@code watermark.key-env}
 *       (the name of an environment variable holding it); exactly one is required when the watermark is on.
 * </ul>
 * Thread-safe.
 */
public final class ProvenanceOutputPolicyProvider implements OutputPolicyProvider {
  @Override
  public String name() {
    return "provenance";
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("producer", "propagator", "label.text", "label.corner", "format", "jpeg-quality", "watermark.enabled", "watermark.strength", "watermark.fail-closed", "watermark.key", "watermark.key-env");
  }

  @Override
  public OutputPolicy create(PolicySettings settings) {
    ProvenanceOutputPolicy.Builder b = ProvenanceOutputPolicy.builder().producer(settings.require("producer"));
    settings.get("propagator").ifPresent(b::propagator);
    settings.get("label.text").ifPresent(t -> b.label(Arrays.stream(t.split("\\|")).map(String::trim).toList()));
    settings.get("label.corner").ifPresent(c -> b.corner(LabelCorner.parse(c)));
    String format = settings.get("format", "png").toLowerCase(Locale.ROOT);
    switch (format) {
      case "png" -> b.format(ProvenanceOutputPolicy.Format.PNG);
      case "jpeg", "jpg" -> b.format(ProvenanceOutputPolicy.Format.JPEG);
      default -> throw new IllegalArgumentException(settings.fullName("format") + " must be png or jpeg: " + format);
    }
    settings.get("jpeg-quality").ifPresent(q -> b.jpegQuality(settings.getInt("jpeg-quality", 0)));
    if (!settings.getBoolean("watermark.enabled", true)) {
      b.disableWatermark();
      return b.build();
    }
    settings.get("watermark.strength").ifPresent(s -> b.watermarkStrength(settings.getDouble("watermark.strength", 0)));
    b.watermarkFailClosed(settings.getBoolean("watermark.fail-closed", true));
    var key = settings.get("watermark.key");
    var keyEnv = settings.get("watermark.key-env");
    if (key.isPresent() == keyEnv.isPresent()) {
      throw new IllegalArgumentException("exactly one of " + settings.fullName("watermark.key") + " and "
          + settings.fullName("watermark.key-env") + " is required while the watermark is enabled");
    }
    String secret = key.orElseGet(() -> {
      String v = System.getenv(keyEnv.get());
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(settings.fullName("watermark.key-env") + " names an unset environment variable: " + keyEnv.get());
      }
      return v.trim();
    });
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < ProvenanceOutputPolicy.MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the watermark key of " + settings.fullName("watermark.key") + " must be at least "
          + ProvenanceOutputPolicy.MIN_KEY_BYTES + " bytes");
    }
    return b.watermarkKey(bytes).build();
  }
}
