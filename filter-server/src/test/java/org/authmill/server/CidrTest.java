package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void contains_ipv4AndIpv6() throws Exception {
    Cidr v4 = Cidr.parse("192.0.2.77/24");
    assertThat(v4.toString()).isEqualTo("192.0.2.0/24");
    assertThat(v4.contains(InetAddress.getByName("192.0.2.200"))).isTrue();
    assertThat(v4.contains(InetAddress.getByName("192.0.3.1"))).isFalse();
    assertThat(v4.contains(InetAddress.getByName("::ffff:c000:201")))
        .isTrue(); // Java maps it to IPv4
    Cidr v6 = Cidr.parse("2001:db8::/32");
    assertThat(v6.contains(InetAddress.getByName("2001:db8:1::5"))).isTrue();
    assertThat(v6.contains(InetAddress.getByName("192.0.2.1"))).isFalse();
    assertThat(Cidr.parse("10.1.2.3").toString()).isEqualTo("10.1.2.3/32");
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/9").contains(InetAddress.getByName("10.127.0.1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/9").contains(InetAddress.getByName("10.128.0.1"))).isFalse();
  }

  @Test
  void parse_badInputNamesIt() {
    assertThatThrownBy(() -> Cidr.parse("example.com/24")).hasMessageContaining("example.com/24");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Cidr.parse("10.0.0/8")).isInstanceOf(IllegalArgumentException.class);
  }
}
