package dev.f2p.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A caller's network address as one canonical value: parsed only from an IP literal (never a name, so
 * never a DNS lookup), an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) taken as the IPv4 address,
 * IPv6 written in its RFC 5952 form. {@code 0:0:0:0:0:0:0:1} and {@code ::1} are the same value;
 * {@code 127.0.0.088} (a leading zero, read as octal by some parsers), {@code 1:2}, {@code ::::},
 * host names, ports, brackets and zone ids are not addresses at all.
 *
 * <p>The {@linkplain #subject(int) subject} is what limits, lockouts, blocks and containment count
 * against: an IPv4 address itself, an IPv6 address aggregated to its prefix ({@link #DEFAULT_IPV6_PREFIX}
 * bits by default, written {@code 2001:db8:1:2::/64}), because one IPv6 subscriber holds a whole /64 and
 * could otherwise spread a flood over 2^64 subjects. Immutable and thread-safe.
 */
public final class ClientAddress {
  /** The IPv6 prefix one subscriber is assumed to hold: a /64, as RFC 6177 assigns at the least. */
  public static final int DEFAULT_IPV6_PREFIX = 64;
  /** The rejection detail for a request whose client address is not an IP literal. */
  public static final String INVALID_ADDRESS = "INVALID_ADDRESS";
  /** The longest literal accepted: a full IPv6 address with an embedded IPv4 tail has 45 characters. */
  private static final int MAX_LITERAL = 45;

  private final byte[] bytes;
  private final String text;

  private ClientAddress(byte[] bytes) {
    this.bytes = bytes;
    this.text = format(bytes, bytes.length * 8);
  }

  /**
   * {@return {@code literal} as an address, or empty when it is not an IPv4 or IPv6 literal}. Never resolves a name.
   *
   * @param literal the text to read, such as {@code 192.0.2.1} or {@code 2001:db8::1}
   */
  public static Optional<ClientAddress> parse(String literal) {
    Objects.requireNonNull(literal, "literal");
    byte[] raw = literal.indexOf(':') >= 0 ? ipv6(literal) : ipv4(literal);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      // Safe: the syntax was checked above, so this parses a literal and asks no name server. It also
      // folds an IPv4-mapped IPv6 address into its IPv4 address.
      InetAddress a = InetAddress.getByAddress(raw);
      if (a instanceof java.net.Inet6Address && isIpv4Mapped(raw)) {
        return Optional.of(new ClientAddress(Arrays.copyOfRange(raw, 12, 16)));
      }
      return Optional.of(new ClientAddress(a.getAddress()));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * A socket's address as a client address: its bytes, without its name or scope (a link-local
   * {@code fe80::1%eth0} is {@code fe80::1}); an IPv4-mapped IPv6 address as IPv4.
   *
   * @param address the remote address of a connection
   * @return the address
   */
  public static ClientAddress of(InetAddress address) {
    byte[] raw = Objects.requireNonNull(address, "address").getAddress();
    return new ClientAddress(raw.length == 16 && isIpv4Mapped(raw) ? Arrays.copyOfRange(raw, 12, 16) : raw);
  }

  /**
   * {@return {@code literal} as an address}; fails naming it when it is not an IP literal (for configuration and
   * admin input).
   *
   * @param literal the text to read
   */
  public static ClientAddress of(String literal) {
    return parse(literal).orElseThrow(() -> new IllegalArgumentException("not an IP address: "
        + printable(literal)));
  }

  /**
   * A subject as an admin gives it: an IP literal (an IPv6 one aggregated to {@code ipv6Prefix} bits) or a
   * prefix in CIDR form ({@code 2001:db8::/48}, {@code 192.0.2.0/24}), in canonical form; empty when it is
   * neither.
   *
   * @param subject the address or prefix
   * @param ipv6Prefix the prefix a bare IPv6 address is aggregated to, 1 to 128
   * @return the canonical subject
   */
  public static Optional<String> parseSubject(String subject, int ipv6Prefix) {
    Objects.requireNonNull(subject, "subject");
    checkPrefix(ipv6Prefix);
    int slash = subject.indexOf('/');
    if (slash < 0) {
      return parse(subject).map(a -> a.subject(ipv6Prefix));
    }
    String bits = subject.substring(slash + 1);
    Optional<ClientAddress> a = parse(subject.substring(0, slash));
    if (a.isEmpty() || !bits.matches("[1-9][0-9]{0,2}")) {
      return Optional.empty();
    }
    int n = Integer.parseInt(bits);
    return n > a.get().bytes.length * 8 ? Optional.empty() : Optional.of(format(a.get().bytes, n));
  }

  /** {@return whether this is an IPv6 address (an IPv4-mapped one is IPv4)} */
  public boolean isIpv6() {
    return bytes.length == 16;
  }

  /** {@return the address as an {@link InetAddress}, made without a name lookup} */
  public InetAddress toInetAddress() {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
    }
  }

  /**
   * What state is kept under for this caller: the IPv4 address itself, or the IPv6 address's first
   * {@code ipv6Prefix} bits in CIDR form ({@code 2001:db8:1:2::/64}); the plain address for a /128.
   *
   * @param ipv6Prefix 1 to 128
   * @return the canonical subject
   */
  public String subject(int ipv6Prefix) {
    checkPrefix(ipv6Prefix);
    return isIpv6() && ipv6Prefix < 128 ? format(bytes, ipv6Prefix) : text;
  }

  /** The canonical text: dotted quad, or RFC 5952 IPv6. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientAddress c && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  private static void checkPrefix(int bits) {
    if (bits < 1 || bits > 128) {
      throw new IllegalArgumentException("ipv6Prefix must be 1..128: " + bits);
    }
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  /** Four decimal octets, 0 to 255, without leading zeros or signs; null otherwise. */
  private static byte @Nullable [] ipv4(String s) {
    if (s.isEmpty() || s.length() > 15) {
      return null;
    }
    byte[] out = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits == 1 && value == 0) {
          return null; // a leading zero: octal to some parsers, decimal to others
        }
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.' && digits > 0 && part < 4) {
        out[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  /** Eight groups of 1 to 4 hex digits, one {@code ::} at most, an optional IPv4 tail; null otherwise. */
  private static byte @Nullable [] ipv6(String s) {
    if (s.length() < 2 || s.length() > MAX_LITERAL) {
      return null;
    }
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = 0;
    int n = s.length();
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
      if (n == 2) {
        return new byte[16];
      }
    } else if (s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 5 && Character.digit(s.charAt(i), 16) >= 0) {
        value = value * 16 + Character.digit(s.charAt(i), 16);
        i++;
      }
      if (i < n && s.charAt(i) == '.') {
        // An IPv4 tail: the last 32 bits.
        byte[] v4 = ipv4(s.substring(start));
        if (v4 == null || count > 6) {
          return null;
        }
        groups[count++] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
        groups[count++] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
        i = n;
        break;
      }
      int digits = i - start;
      if (digits < 1 || digits > 4 || count == 8) {
        return null;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null; // a trailing single colon
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] out = new byte[16];
    int tail = count - Math.max(gap, 0);
    for (int g = 0; g < count; g++) {
      int slot = gap >= 0 && g >= gap ? 8 - tail + (g - gap) : g;
      out[2 * slot] = (byte) (groups[g] >> 8);
      out[2 * slot + 1] = (byte) groups[g];
    }
    return out;
  }

  /** The first {@code bits} of {@code a}, the rest zero, canonical; with {@code /bits} unless all are kept. */
  private static String format(byte[] a, int bits) {
    byte[] masked = a.clone();
    for (int b = bits; b < masked.length * 8; b++) {
      masked[b / 8] &= (byte) ~(0x80 >>> (b % 8));
    }
    String base = masked.length == 4 ? ipv4Text(masked) : ipv6Text(masked);
    return bits == masked.length * 8 ? base : base + "/" + bits;
  }

  private static String ipv4Text(byte[] a) {
    return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
  }

  /** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
  private static String ipv6Text(byte[] a) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** Input as it may appear in an exception message: bounded, printable ASCII. */
  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return cut.replaceAll("[^\\x21-\\x7E]", "?");
  }
}
