/**
 * Image validation: {@link dev.f2p.security.image.StandardImageValidator} identifies the format from the
 * bytes, checks the header against size limits before decoding, verifies the file's structure (PNG chunk
 * CRCs, JPEG segments, nothing appended), decodes with bounded memory, strips all metadata and checks for
 * one cropped face through a {@link dev.f2p.core.spi.FaceDetector}.
 */
@NullMarked
package dev.f2p.security.image;

import org.jspecify.annotations.NullMarked;
