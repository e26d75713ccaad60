package dev.f2p.examples.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 written and read byte for byte, for requests no client library sends (malformed framing, bodies
 * that never arrive) and for clients on a chosen loopback address (127.0.0.2 is the attacker, 127.0.0.1 the
 * legitimate client, so per-address limits tell them apart).
 */
final class RawHttp {
  static final String LEGITIMATE = "127.0.0.1";
  static final String ATTACKER = "127.0.0.2";

  private RawHttp() {}

  /** One answer: the status (-1 when the connection closed or timed out before a status line), headers lower-cased. */
  record Answer(int status, Map<String, String> headers, String body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }

  static Socket connect(String from, int port, Duration timeout) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
    s.setSoTimeout((int) timeout.toMillis());
    return s;
  }

  /** Sends {@code request} on a new connection from {@code from} and reads one answer. */
  static Answer exchange(String from, int port, String request, Duration timeout) throws IOException {
    try (Socket s = connect(from, port, timeout)) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return read(s.getInputStream());
    }
  }

  /** Reads one answer: headers, then the body by its Content-Length (or until the server closes). */
  static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int headEnd = -1;
    long need = Long.MAX_VALUE;
    byte[] buf = new byte[8192];
    try {
      while (b.size() < need) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        b.write(buf, 0, n);
        if (headEnd < 0) {
          headEnd = b.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
          if (headEnd >= 0) {
            String length = headers(b.toString(StandardCharsets.ISO_8859_1).substring(0, headEnd)).get("content-length");
            need = length == null ? Long.MAX_VALUE : headEnd + 4 + Long.parseLong(length.trim());
          }
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // what arrived is what there is
    }
    String all = b.toString(StandardCharsets.UTF_8);
    if (headEnd < 0 || !all.startsWith("HTTP/1.1 ")) {
      return new Answer(-1, Map.of(), all);
    }
    return new Answer(Integer.parseInt(all.substring(9, 12)), headers(all.substring(0, headEnd)), all.substring(headEnd + 4));
  }

  private static Map<String, String> headers(String head) {
    Map<String, String> h = new TreeMap<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        h.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
            (a, c) -> a + ", " + c);
      }
    }
    return h;
  }
}
