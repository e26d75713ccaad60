package dev.f2p.engine.remote;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * One model server: its base address and how many requests it accepts at once (its declared capacity, the
 * number of requests the engine ever has in flight there). Immutable.
 *
 * @param uri the base address, {@code https://gpu-1:8000} ({@code http} only for loopback when the engine
 *     allows it); for gRPC the scheme still says whether TLS is used
 * @param capacity requests in flight at most, 1 to 4096
 */
public record RemoteEndpoint(URI uri, int capacity) {
  /**
   * Validates the address and capacity.
   *
   * @param uri the base address: http or https, a host, no user, query or fragment
   * @param capacity requests in flight at most, 1 to 4096
   */
  public RemoteEndpoint {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("endpoint must be an http or https address: " + uri);
    }
    if (uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("endpoint must be scheme://host[:port][/path], without user, query or fragment: "
          + uri);
    }
    if (capacity < 1 || capacity > 4096) {
      throw new IllegalArgumentException("endpoint capacity must be 1..4096: " + capacity);
    }
  }

  /**
   * An endpoint from text such as {@code https://gpu-1:8000} or {@code https://gpu-1:8000*4} (capacity after
   * the star; 1 when absent), the form the {@code endpoints} setting uses.
   *
   * @param text the address, optionally followed by {@code *capacity}
   * @return the endpoint
   */
  public static RemoteEndpoint parse(String text) {
    String t = text.trim();
    int star = t.lastIndexOf('*');
    int capacity = 1;
    if (star >= 0) {
      try {
        capacity = Integer.parseInt(t.substring(star + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("endpoint capacity must be a number: " + t, e);
      }
      t = t.substring(0, star).trim();
    }
    URI uri;
    try {
      uri = URI.create(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an endpoint address: " + t, e);
    }
    return new RemoteEndpoint(uri, capacity);
  }

  /**
   * Whether the address is TLS.
   *
   * @return whether the scheme is {@code https}
   */
  public boolean isTls() {
    return uri.getScheme().equalsIgnoreCase("https");
  }

  /**
   * The name events and logs use: host and port, never a path or credentials.
   *
   * @return {@code host:port}
   */
  public String name() {
    return uri.getHost() + ":" + port();
  }

  /**
   * The port, the scheme's default when the address has none.
   *
   * @return the port
   */
  public int port() {
    return uri.getPort() > 0 ? uri.getPort() : isTls() ? 443 : 80;
  }

  /**
   * Whether the host is a loopback address (a name is resolved once, here).
   *
   * @return whether the host is loopback
   */
  public boolean isLoopback() {
    try {
      return InetAddress.getByName(uri.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
