package dev.f2p.examples.http;

import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.regex.Pattern;

/** The caller's address: the socket's, or (only when the host trusts its proxy) the forwarded one. */
final class ClientAddress {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private ClientAddress() {}

  static String of(HttpExchange exchange, boolean trustForwardedFor) {
    if (trustForwardedFor) {
      List<String> forwarded = exchange.getRequestHeaders().get("X-Forwarded-For");
      if (forwarded != null && !forwarded.isEmpty()) {
        // The last entry is the one our proxy added; earlier ones are the client's to invent.
        String last = forwarded.get(forwarded.size() - 1);
        String candidate = last.substring(last.lastIndexOf(',') + 1).trim();
        if (isIpLiteral(candidate)) {
          return candidate;
        }
      }
    }
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }

  /** Whether {@code s} is an IPv4 or IPv6 literal (so resolving it never asks a name server). */
  static boolean isIpLiteral(String s) {
    if (IPV4.matcher(s).matches()) {
      for (String octet : s.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return false;
        }
      }
      return true;
    }
    return s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
  }
}
