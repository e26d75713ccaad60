/** The optional FaceDetector on OpenCV's frontal-face cascade. */
@NullMarked
package dev.f2p.face.opencv;

import org.jspecify.annotations.NullMarked;
