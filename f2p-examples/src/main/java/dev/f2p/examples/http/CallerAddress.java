package dev.f2p.examples.http;

import com.sun.net.httpserver.HttpExchange;
import dev.f2p.core.ClientAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The caller's address: the socket's, or behind {@code trustedProxies} proxies the address the outermost
 * of them saw, read strictly from {@code X-Forwarded-For}. Each proxy appends the address it received the
 * request from, so the last {@code trustedProxies} entries are our proxies' and the one they begin with
 * is the client; entries further left are the client's to invent and are never looked at. Every entry we
 * do read must be a bare IP literal (no port, no brackets, no name): anything else, or fewer entries
 * than trusted proxies, is a malformed request, since our own proxies never write it.
 */
final class CallerAddress {
  /** The most X-Forwarded-For entries read; a longer chain is refused rather than parsed. */
  static final int MAX_ENTRIES = 32;

  private CallerAddress() {}

  static String of(HttpExchange exchange, int trustedProxies) throws Problem.Failure {
    // Canonical, without a zone: a link-local IPv6 peer is still an IP literal the client accepts.
    String socket = ClientAddress.of(exchange.getRemoteAddress().getAddress()).toString();
    if (trustedProxies == 0) {
      return socket;
    }
    List<String> lines = exchange.getRequestHeaders().get("X-Forwarded-For");
    if (lines == null || lines.isEmpty()) {
      // Not through our proxies (a health check from the proxy host, say): the peer is the caller.
      return socket;
    }
    return forwarded(lines, trustedProxies);
  }

  /** The client's entry of the header lines (in order received); fails on junk or too few entries. */
  static String forwarded(List<String> lines, int trustedProxies) throws Problem.Failure {
    List<String> entries = new ArrayList<>();
    for (String line : lines) {
      for (String entry : line.split(",", -1)) {
        entries.add(entry.trim());
        if (entries.size() > MAX_ENTRIES) {
          throw malformed();
        }
      }
    }
    if (entries.size() < trustedProxies) {
      throw malformed();
    }
    String client = null;
    for (int i = entries.size() - 1; i >= entries.size() - trustedProxies; i--) {
      Optional<ClientAddress> hop = ClientAddress.parse(entries.get(i));
      if (hop.isEmpty()) {
        throw malformed();
      }
      client = hop.get().toString();
    }
    return client;
  }

  private static Problem.Failure malformed() {
    return new Problem.Failure(Problem.malformed("The X-Forwarded-For header is malformed."));
  }
}
