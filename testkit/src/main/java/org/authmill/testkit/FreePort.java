package org.authmill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds a loopback port that is free for both TCP and UDP, for a peer that needs a fixed port. */
public final class FreePort {
  private FreePort() {}

  /** A port on 127.0.0.1 that nothing listens on, over TCP or UDP, at the time of the call. */
  public static int tcpAndUdp() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
          return port;
        } catch (IOException busy) {
          // UDP side taken: try another port
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free loopback port for TCP and UDP after 50 attempts");
  }
}
