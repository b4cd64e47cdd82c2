package org.authmill.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * A UDP "name server" on loopback for fault tests: it either never answers or answers every query
 * with one RCODE. It counts the queries it received.
 */
final class FakeDnsServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final AtomicInteger queries = new AtomicInteger();

  private FakeDnsServer(int rcode) throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(() -> serve(rcode), "fake-dns");
    thread.setDaemon(true);
    thread.start();
  }

  /** A server that reads queries and never answers. */
  static FakeDnsServer silent() throws SocketException {
    return new FakeDnsServer(-1);
  }

  /** A server that answers every query with this RCODE and nothing else. */
  static FakeDnsServer answering(int rcode) throws SocketException {
    return new FakeDnsServer(rcode);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  int queries() {
    return queries.get();
  }

  private void serve(int rcode) {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        queries.incrementAndGet();
        if (rcode < 0) {
          continue;
        }
        Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
        Message response = query.clone();
        response.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        response.getHeader().setRcode(rcode);
        byte[] wire = response.toWire();
        socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }

  static String rcodeName(int rcode) {
    return Rcode.string(rcode);
  }
}
