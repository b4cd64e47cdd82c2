package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;

class AddressesTest {
  @Test
  void parseIp4_strictOctets() {
    assertThat(Addresses.parseIp4("192.0.2.1")).containsExactly(192, 0, 2, 1);
    assertThat(Addresses.parseIp4("192.0.2.01")).isNull();
    assertThat(Addresses.parseIp4("192.0.2.256")).isNull();
    assertThat(Addresses.parseIp4("192.0.2")).isNull();
    assertThat(Addresses.parseIp4("1.2.3.4:25")).isNull();
  }

  @Test
  void parseIp6_rfc4291Forms() {
    assertThat(Addresses.parseIp6("2001:db8::1")).hasSize(16);
    assertThat(Addresses.parseIp6("::")).hasSize(16);
    assertThat(Addresses.parseIp6("::1.1.1.1")).hasSize(16);
    assertThat(Addresses.parseIp6("1:2:3:4:5:6:7:8")).hasSize(16);
    assertThat(Addresses.parseIp6(":CAFE::BABE")).isNull();
    assertThat(Addresses.parseIp6("1::2::3")).isNull();
    assertThat(Addresses.parseIp6("1:2:3:4:5:6:7")).isNull();
    assertThat(Addresses.parseIp6("12345::")).isNull();
    assertThat(Addresses.parseIp6("\uff10::1")).isNull();
  }

  /** RFC 4291 §2.2 form 3: the dotted IPv4 part can only be the last 32 bits. */
  @Test
  void parseIp6_ipv4PartOnlyAtTheEnd() {
    assertThat(Addresses.parseIp6("1::192.0.2.1")).hasSize(16);
    assertThat(Addresses.parseIp6("1:2:3:4:5:6:192.0.2.1")).hasSize(16);
    assertThat(Addresses.parseIp6("192.0.2.1::")).isNull();
    assertThat(Addresses.parseIp6("1:2:3:4:5:192.0.2.1::")).isNull();
    assertThat(Addresses.parseIp6("192.0.2.1::1")).isNull();
    assertThat(Addresses.parseIp6("::192.0.2.1:1")).isNull();
  }

  @Test
  void normalize_ipv4MappedBecomesIpv4() throws Exception {
    byte[] mapped = Addresses.parseIp6("::ffff:192.0.2.1");
    assertThat(Addresses.normalize(Inet6Address.getByAddress(null, mapped, -1)))
        .isInstanceOf(Inet4Address.class)
        .hasToString("/192.0.2.1");
  }

  @Test
  void matches_prefixes() {
    byte[] a = Addresses.parseIp4("192.0.2.129");
    assertThat(Addresses.matches(a, Addresses.parseIp4("192.0.2.0"), 24)).isTrue();
    assertThat(Addresses.matches(a, Addresses.parseIp4("192.0.2.0"), 25)).isFalse();
    assertThat(Addresses.matches(a, Addresses.parseIp4("10.0.0.0"), 0)).isTrue();
    assertThat(Addresses.matches(a, Addresses.parseIp6("::"), 0)).isFalse();
  }

  @Test
  void readable_rfc5952() {
    assertThat(Addresses.readable(SuiteZone.address("2001:db8:0:0:1:0:0:1")))
        .isEqualTo("2001:db8::1:0:0:1");
    assertThat(Addresses.readable(SuiteZone.address("2001:DB8::0:1"))).isEqualTo("2001:db8::1");
    assertThat(Addresses.readable(SuiteZone.address("2001:db8:0:1:1:1:1:1")))
        .isEqualTo("2001:db8:0:1:1:1:1:1");
  }
}
