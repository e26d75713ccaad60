package dev.f2p.core.spi;

/** Builds a {@link FaceDetector} by name; register implementations in {@code META-INF/services/dev.f2p.core.spi.FaceDetectorProvider}. */
public interface FaceDetectorProvider extends PolicyProvider<FaceDetector> {}
