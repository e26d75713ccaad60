package dev.f2p.core.spi;

import java.util.Objects;

/**
 * An output ready to leave: encoded bytes and their media type. Immutable: the accessor copies.
 *
 * @param bytes the encoded image
 * @param mediaType such as {@code image/png}
 * @param width width in pixels
 * @param height height in pixels
 */
public record OutputImage(byte[] bytes, String mediaType, int width, int height) {
  /**
   * Copies the bytes.
   *
   * @param bytes the encoded image
   * @param mediaType such as {@code image/png}
   * @param width width in pixels
   * @param height height in pixels
   */
  public OutputImage {
    bytes = Objects.requireNonNull(bytes, "bytes").clone();
    Objects.requireNonNull(mediaType, "mediaType");
  }

  /** {@return a copy of the encoded image} */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
