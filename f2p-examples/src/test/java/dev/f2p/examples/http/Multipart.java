package dev.f2p.examples.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data bodies for tests, well-formed or deliberately not. */
public final class Multipart {
  static final String BOUNDARY = "f2p-test-boundary-7d1e";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final String boundary;

  public Multipart() {
    this(BOUNDARY);
  }

  Multipart(String boundary) {
    this.boundary = boundary;
  }

  public static String contentType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  public Multipart text(String name, String value) {
    return part("Content-Disposition: form-data; name=\"" + name + "\"\r\n", value.getBytes(StandardCharsets.UTF_8));
  }

  public Multipart file(String name, byte[] bytes) {
    return part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"face.png\"\r\n"
        + "Content-Type: image/png\r\n", bytes);
  }

  /** A part with these exact header lines (each ending CRLF). */
  Multipart part(String headers, byte[] body) {
    raw("--" + boundary + "\r\n" + headers + "\r\n");
    out.writeBytes(body);
    raw("\r\n");
    return this;
  }

  Multipart raw(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  /** The body with its closing delimiter. */
  public byte[] build() {
    raw("--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  /** The body as it stands, without a closing delimiter. */
  byte[] unterminated() {
    return out.toByteArray();
  }
}
