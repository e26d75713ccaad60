package dev.f2p.face.opencv;

import dev.f2p.core.spi.FaceDetector;
import dev.f2p.core.spi.FaceDetectorProvider;
import dev.f2p.core.spi.PolicySettings;

/**
 * Provides {@link OpenCvFaceDetector} under the name {@code opencv}. Settings (all optional):
 * <ul>
 *   <li>{@code max-side}: longest side the cascade runs on, default {@value OpenCvFaceDetector#DEFAULT_MAX_SIDE}
 *   <li>{@code scale-factor}: cascade scale step, default {@value OpenCvFaceDetector#DEFAULT_SCALE_FACTOR}
 *   <li>{@code min-neighbors}: default {@value OpenCvFaceDetector#DEFAULT_MIN_NEIGHBORS}
 *   <li>{@code min-face-pixels}: default {@value OpenCvFaceDetector#DEFAULT_MIN_FACE_PIXELS}
 *   <li>{@code pool-size}: classifiers kept, default the number of processors
 *   <li>{@code acquire-timeout}: wait for a free classifier, default 5s
 * </ul>
 * Stateless and thread-safe.
 */
public final class OpenCvFaceDetectorProvider implements FaceDetectorProvider {
  /** The name hosts select this detector by. */
  public static final String NAME = "opencv";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.Set<String> settingNames(PolicySettings settings) {
    return java.util.Set.of("max-side", "scale-factor", "min-neighbors", "min-face-pixels", "acquire-timeout", "pool-size");
  }

  @Override
  public FaceDetector create(PolicySettings settings) {
    OpenCvFaceDetector.Builder b = OpenCvFaceDetector.builder()
        .maxSide(settings.getInt("max-side", OpenCvFaceDetector.DEFAULT_MAX_SIDE))
        .scaleFactor(settings.getDouble("scale-factor", OpenCvFaceDetector.DEFAULT_SCALE_FACTOR))
        .minNeighbors(settings.getInt("min-neighbors", OpenCvFaceDetector.DEFAULT_MIN_NEIGHBORS))
        .minFacePixels(settings.getInt("min-face-pixels", OpenCvFaceDetector.DEFAULT_MIN_FACE_PIXELS))
        .acquireTimeout(settings.getDuration("acquire-timeout", OpenCvFaceDetector.DEFAULT_ACQUIRE_TIMEOUT));
    settings.get("pool-size").ifPresent(v -> b.poolSize(settings.getInt("pool-size", 1)));
    return b.build();
  }
}
