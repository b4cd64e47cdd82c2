package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenAddressTest {
  @Test
  void parse_postfixAndLibmilterForms() {
    assertThat(ListenAddress.parse("inet:127.0.0.1:8891")).isEqualTo(ListenAddress.DEFAULT);
    assertThat(ListenAddress.parse("inet:8891@127.0.0.1")).isEqualTo(ListenAddress.DEFAULT);
    ListenAddress v6 = ListenAddress.parse("inet6:[::1]:8891");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.toString()).isEqualTo("inet:[::1]:8891");
    ListenAddress unix = ListenAddress.parse("unix:/run/authmill/milter.sock");
    assertThat(unix.isUnix()).isTrue();
    assertThat(unix.toString()).isEqualTo("unix:/run/authmill/milter.sock");
    assertThat(unix.socketAddress().path()).isEqualTo("/run/authmill/milter.sock");
  }

  @Test
  void parse_badInputNamesIt() {
    assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1:8891"))
        .hasMessageContaining("expected inet:HOST:PORT");
    assertThatThrownBy(() -> ListenAddress.parse("inet:127.0.0.1:99999"))
        .hasMessageContaining("0 to 65535");
    assertThatThrownBy(() -> ListenAddress.parse("inet:127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ListenAddress.parse("unix:relative.sock"))
        .hasMessageContaining("absolute");
  }

  @Test
  void hostPort_parse() {
    assertThat(HostPort.parse("127.0.0.1:9100")).isEqualTo(new HostPort("127.0.0.1", 9100));
    assertThat(HostPort.parse("[::1]:9100").toString()).isEqualTo("[::1]:9100");
    assertThatThrownBy(() -> HostPort.parse("9100")).hasMessageContaining("HOST:PORT");
  }
}
