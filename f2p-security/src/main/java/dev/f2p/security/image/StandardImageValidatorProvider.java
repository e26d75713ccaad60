package dev.f2p.security.image;

import dev.f2p.core.spi.FaceDetectorProvider;
import dev.f2p.core.spi.ImageValidator;
import dev.f2p.core.spi.ImageValidatorProvider;
import dev.f2p.core.spi.PolicyProviders;
import dev.f2p.core.spi.PolicySettings;
import dev.f2p.security.internal.SettingValues;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Provides {@link StandardImageValidator} under the name {@code standard}. Settings (all optional):
 * <ul>
 *   <li>{@code max-bytes}: largest file, default 10485760 (10 MiB)
 *   <li>{@code max-side}: longest side in pixels, default 2048
 *   <li>{@code max-pixels}: most pixels, default 4194304
 *   <li>{@code min-side}: shortest side in pixels, default 64
 *   <li>{@code formats}: comma list of {@code jpeg}, {@code png}, {@code webp}; default JPEG and PNG (plus
 *       WebP when a decoder is on the class path)
 *   <li>{@code face-detector.type}: {@code auto} (default: the detector on the class path, if any), {@code none},
 *       or a {@link FaceDetectorProvider} name such as {@code opencv}, configured from
 *       {@code face-detector.*} (for example {@code face-detector.max-side})
 *   <li>{@code min-face-share}: smallest share of the frame the face covers, default 0.10
 *   <li>{@code decode-memory}: bytes all decodes in flight may hold together ({@code 256m}, {@code 1g}),
 *       default 256 MiB
 *   <li>{@code decode-concurrency}: most decodes at once, default the number of processors
 *   <li>{@code decode-wait}: longest wait for room in the decode budget ({@code 2s}, {@code 500ms}), default
 *       2 seconds; then {@code OVERLOADED} / {@code DECODE_BUSY}
 * </ul>
 * Stateless and thread-safe.
 */
public final class StandardImageValidatorProvider implements ImageValidatorProvider {
  /** The name hosts select this validator by. */
  public static final String NAME = "standard";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> settingNames(PolicySettings settings) {
    Set<String> names = new java.util.HashSet<>(Set.of("max-bytes", "max-side", "max-pixels", "min-side",
        "min-face-share", "formats", "face-detector.type", "decode-memory", "decode-concurrency", "decode-wait"));
    String detector = settings.get("face-detector.type", "auto");
    if (!detector.equals("auto") && !detector.equals("none")) {
      names.addAll(PolicyProviders.settingNames(FaceDetectorProvider.class, detector, settings, "face-detector"));
    }
    return names;
  }

  @Override
  public ImageValidator create(PolicySettings settings) {
    StandardImageValidator.Builder b = StandardImageValidator.builder();
    settings.get("max-bytes").ifPresent(v -> b.maxBytes(settings.getInt("max-bytes", 0)));
    settings.get("max-side").ifPresent(v -> b.maxSide(settings.getInt("max-side", 0)));
    settings.get("max-pixels").ifPresent(v -> b.maxPixels(settings.getLong("max-pixels", 0)));
    settings.get("min-side").ifPresent(v -> b.minSide(settings.getInt("min-side", 0)));
    settings.get("min-face-share").ifPresent(v -> b.minFaceShare(settings.getDouble("min-face-share", 0)));
    settings.get("decode-memory").ifPresent(v -> b.decodeMemory(SettingValues.bytes(settings, "decode-memory", v)));
    settings.get("decode-concurrency").ifPresent(v -> b.decodeConcurrency(settings.getInt("decode-concurrency", 0)));
    settings.get("decode-wait").ifPresent(v -> b.decodeWait(settings.getDuration("decode-wait", Duration.ZERO)));
    if (!settings.getList("formats").isEmpty()) {
      Set<ImageFormat> formats = EnumSet.noneOf(ImageFormat.class);
      for (String f : settings.getList("formats")) {
        try {
          formats.add(ImageFormat.valueOf(f.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(settings.fullName("formats") + ": unknown format " + f, e);
        }
      }
      b.formats(formats);
    }
    String detector = settings.get("face-detector.type", "auto");
    switch (detector) {
      case "auto" -> { } // the builder looks on the class path
      case "none" -> b.withoutFaceCheck();
      default -> b.faceDetector(PolicyProviders.create(FaceDetectorProvider.class, detector,
          settings.scope("face-detector")), true);
    }
    return b.build();
  }
}
