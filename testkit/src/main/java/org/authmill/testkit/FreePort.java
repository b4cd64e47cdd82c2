package org.authmill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a loopback port that is free for both TCP and UDP, for a peer that needs a fixed port, and
 * tells when a peer listens on it.
 */
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

  /**
   * True when something listens on TCP port {@code port} of IPv4, read from {@code /proc/net/tcp}
   * rather than by connecting (a probe connection to smtpd or a milter would open a session of its
   * own); by connecting only where that file cannot be read.
   */
  public static boolean isListening(int port) {
    String local = String.format(":%04X", port);
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
        String[] f = line.strip().split("\\s+");
        if (f.length > 3 && f[1].endsWith(local) && f[3].equals("0A")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        return false;
      }
    }
  }
}
