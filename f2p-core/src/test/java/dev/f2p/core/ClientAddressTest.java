package dev.f2p.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressTest {
  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, 127.0.0.1",
      "0.0.0.0, 0.0.0.0",
      "255.255.255.255, 255.255.255.255",
      "::1, ::1",
      "0:0:0:0:0:0:0:1, ::1",
      "::, ::",
      "::ffff:192.0.2.1, 192.0.2.1",
      "0:0:0:0:0:ffff:c000:0201, 192.0.2.1",
      "2001:DB8::1, 2001:db8::1",
      "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
      "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::",
      "1::, 1::",
      "fe80::1:2:3:4, fe80::1:2:3:4",
      "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
      "1:0:3:4:5:6:7:8, 1:0:3:4:5:6:7:8",
      "::192.0.2.1, ::c000:201",
  })
  void ipLiteralsParseToOneCanonicalForm(String literal, String canonical) {
    assertThat(ClientAddress.parse(literal)).hasValueSatisfying(a -> assertThat(a.toString()).isEqualTo(canonical));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "127.0.0.088", "127.0.0.01", "010.0.0.1", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.",
      ".1.2.3", "+1.2.3.4", "1:2", "::::", ":::", "1:::2", "1::2::3", ":1::", "1:", "12345::", "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7::8:9", "g::1", "localhost", "example.com", "192.0.2.1:8080", "[::1]", "[::1]:80",
      "fe80::1%eth0", "::ffff:1.2.3", " 1.2.3.4", "1.2.3.4 ", "0x7f.0.0.1", "2130706433", "1.2.3.4/24",
      "::1.2.3.4:5", "1:2:3:4:5:6:1.2.3.4:1"})
  void anythingButAnIpLiteralIsRefusedWithoutALookup(String junk) {
    assertThat(ClientAddress.parse(junk)).isEmpty();
    assertThatThrownBy(() -> ClientAddress.of(junk)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an IP address");
  }

  @org.junit.jupiter.api.Test
  void aSocketAddressLosesItsScopeAndAMappedOneIsIpv4() throws Exception {
    java.net.InetAddress linkLocal = java.net.Inet6Address.getByAddress(null,
        ClientAddress.of("fe80::1").toInetAddress().getAddress(), 2);
    assertThat(ClientAddress.of(linkLocal).toString()).isEqualTo("fe80::1");
    assertThat(ClientAddress.of(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1})).toString())
        .isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @CsvSource({
      "2001:db8:1:2:3:4:5:6, 64, 2001:db8:1:2::/64",
      "2001:db8:1:2:3:4:5:6, 48, 2001:db8:1::/48",
      "2001:db8:1:2:3:4:5:6, 128, 2001:db8:1:2:3:4:5:6",
      "192.0.2.1, 64, 192.0.2.1",
      "::ffff:192.0.2.1, 64, 192.0.2.1",
  })
  void theSubjectAggregatesIpv6ToItsPrefix(String literal, int prefix, String subject) {
    assertThat(ClientAddress.of(literal).subject(prefix)).isEqualTo(subject);
  }

  @ParameterizedTest
  @CsvSource({
      "2001:db8:1:2:3::1, 2001:db8:1:2::/64",
      "0:0:0:0:0:0:0:1, ::/64",
      "2001:db8::/32, 2001:db8::/32",
      "2001:db8:ffff::/32, 2001:db8::/32",
      "192.0.2.77/24, 192.0.2.0/24",
      "192.0.2.77, 192.0.2.77",
  })
  void anAdminsSubjectIsCanonical(String given, String subject) {
    assertThat(ClientAddress.parseSubject(given, 64)).contains(subject);
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.1/33", "::/0", "::/129", "1.2.3.4/", "1.2.3.4/08", "host/24", "1:2/64"})
  void aBadPrefixIsNoSubject(String given) {
    assertThat(ClientAddress.parseSubject(given, 64)).isEmpty();
  }
}
