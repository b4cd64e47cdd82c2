package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DnsOptionsTest {
  @Test
  void parseServer_hostOnly_port53() {
    assertThat(DnsOptions.parseServer("127.0.0.1"))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 53));
  }

  @Test
  void parseServer_hostAndPort() {
    assertThat(DnsOptions.parseServer("127.0.0.1:5353"))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
  }

  @Test
  void parseServer_bareIpv6_port53() {
    assertThat(DnsOptions.parseServer("::1").getPort()).isEqualTo(53);
  }

  @Test
  void parseServer_bracketedIpv6WithPort() {
    InetSocketAddress address = DnsOptions.parseServer("[::1]:5300");
    assertThat(address.getPort()).isEqualTo(5300);
    assertThat(address.getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void parseServer_badPort_namesIt() {
    assertThatThrownBy(() -> DnsOptions.parseServer("127.0.0.1:99999"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("127.0.0.1:99999");
  }

  @Test
  void parseServer_unclosedBracket_namesIt() {
    assertThatThrownBy(() -> DnsOptions.parseServer("[::1:53"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("]");
  }
}
