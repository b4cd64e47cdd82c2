package org.authmill.bench.load;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.authmill.milter.MilterProtocol;

/**
 * The cheapest milter that does what an authentication filter must: negotiates the events and
 * no-reply flags authmill asks Postfix for, reads every packet, and at the end of each message adds
 * one header field and continues. It checks nothing, so Postfix with this milter is the ceiling of
 * {@code ratio.postfix_authmill_vs_none}: the part of the cost that is Postfix's own milter client
 * (smtpd and cleanup speaking the protocol, the longer transactions, the header insertion).
 *
 * <p>Blocking sockets, a thread per connection, in the bench's own JVM; its CPU is not counted.
 */
final class NullMilter implements AutoCloseable {
  private static final int WANTED_PROTOCOL =
      MilterProtocol.NR_CONN
          | MilterProtocol.NR_HELO
          | MilterProtocol.NR_MAIL
          | MilterProtocol.NORCPT
          | MilterProtocol.NODATA
          | MilterProtocol.NOUNKNOWN
          | MilterProtocol.NR_HDR
          | MilterProtocol.NR_EOH
          | MilterProtocol.NR_BODY
          | MilterProtocol.HDR_LEADSPC;
  private static final byte[] ADDED =
      "Authentication-Results\0 mx.test.local; none\0".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final List<Socket> sockets = new ArrayList<>();

  private NullMilter() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "null-milter-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A null milter on a free loopback port. */
  static NullMilter start() throws IOException {
    return new NullMilter();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        synchronized (this) {
          sockets.add(s);
        }
        Thread t = new Thread(() -> serve(s), "null-milter");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!server.isClosed()) {
          System.err.println("bench: null milter: " + e);
        }
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
      int protocol = 0;
      while (true) {
        byte[] packet = MilterTrace.readPacket(in);
        if (packet == null) {
          return;
        }
        switch ((char) (packet[0] & 0xff)) {
          case 'O' -> {
            int offered = (packet[9] & 0xff) << 24 | (packet[10] & 0xff) << 16;
            offered |= (packet[11] & 0xff) << 8 | packet[12] & 0xff;
            protocol = WANTED_PROTOCOL & offered;
            out.writeInt(13);
            out.writeByte('O');
            out.writeInt(MilterProtocol.VERSION);
            out.writeInt(MilterProtocol.ADDHDRS);
            out.writeInt(protocol);
          }
          case 'C' -> replyUnless(out, protocol, MilterProtocol.NR_CONN);
          case 'H' -> replyUnless(out, protocol, MilterProtocol.NR_HELO);
          case 'M' -> replyUnless(out, protocol, MilterProtocol.NR_MAIL);
          case 'L' -> replyUnless(out, protocol, MilterProtocol.NR_HDR);
          case 'N' -> replyUnless(out, protocol, MilterProtocol.NR_EOH);
          case 'B' -> replyUnless(out, protocol, MilterProtocol.NR_BODY);
          case 'E' -> {
            out.writeInt(1 + ADDED.length);
            out.writeByte('h');
            out.write(ADDED);
            out.writeInt(1);
            out.writeByte('c');
          }
          case 'Q' -> {
            return;
          }
          default -> {
            // macros, abort, quit-new-connection, and events negotiated away: no reply
          }
        }
        out.flush();
      }
    } catch (IOException e) {
      if (!server.isClosed()) {
        System.err.println("bench: null milter: " + e);
      }
    }
  }

  private static void replyUnless(DataOutputStream out, int protocol, int noReply)
      throws IOException {
    if ((protocol & noReply) == 0) {
      out.writeInt(1);
      out.writeByte('c');
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (this) {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
