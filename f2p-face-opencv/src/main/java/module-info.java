/** Optional: the "one cropped face" check on OpenCV's frontal-face cascade. */
module dev.f2p.face.opencv {
  requires transitive dev.f2p.core;
  requires org.bytedeco.javacpp;
  requires org.bytedeco.opencv;
  requires static org.jspecify;

  exports dev.f2p.face.opencv;

  provides dev.f2p.core.spi.FaceDetectorProvider with dev.f2p.face.opencv.OpenCvFaceDetectorProvider;
}
