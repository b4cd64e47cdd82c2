package org.authmill.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PeersTest {
  @Test
  void command_missing_skipsOutsideCiFailsInCi_namingThePackage() {
    Throwable thrown =
        catchThrowable(() -> Peers.command("no-such-peer-authmill", "authmill-peer-pkg"));
    assertThat(thrown)
        .isInstanceOf(Peers.required() ? AssertionFailedError.class : TestAbortedException.class)
        .hasMessageContaining("Debian package authmill-peer-pkg");
  }

  @Test
  void command_present_returnsItsPath() {
    assertThat(Peers.command("sh", "dash")).isExecutable();
  }

  @Test
  void freePort_isUsableOnLoopback() throws Exception {
    int port = FreePort.tcpAndUdp();
    try (var socket =
        new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }
}
