package dev.f2p.engine.remote.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A {@code multipart/form-data} body built in memory (RFC 7578); field names are ours, values are escaped by framing. */
final class Multipart {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String boundary;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Multipart() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    this.boundary = "f2p-" + HexFormat.of().formatHex(b);
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  Multipart field(String name, String value) {
    head("Content-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: text/plain; charset=utf-8");
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {'\r', '\n'});
    return this;
  }

  Multipart file(String name, String fileName, String mediaType, byte[] content) {
    head("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\nContent-Type: "
        + mediaType);
    out.writeBytes(content);
    out.writeBytes(new byte[] {'\r', '\n'});
    return this;
  }

  byte[] finish() {
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private void head(String headers) {
    out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
  }
}
