package org.authmill.bench.load;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A milter proxy on loopback between an MTA (Postfix, or the load generator) and a filter that
 * counts the replies the MTA waits for, by the command each answers: every packet from the filter
 * that answers a command (negotiation {@code O}, continue, accept, reject, tempfail, discard, reply
 * code, skip) is charged to the last command the MTA sent on that connection (macro packets aside).
 * Header changes and progress packets answer nothing on their own; they come before the end of
 * message's reply. An MTA sends nothing while it waits, so the last command is the one it waits on.
 */
final class MilterTrace implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final Map<String, Integer> waits = new TreeMap<>();
  private final Map<String, Integer> commands = new TreeMap<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final Thread acceptor;

  private MilterTrace(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "milter-trace-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy on a free loopback port in front of the filter on 127.0.0.1:{@code targetPort}. */
  static MilterTrace start(int targetPort) throws IOException {
    return new MilterTrace(targetPort);
  }

  /** The port the MTA connects to. */
  int port() {
    return server.getLocalPort();
  }

  /** Replies waited for so far, by the command they answered ({@code optneg}, {@code eom}...). */
  synchronized Map<String, Integer> waits() {
    return new TreeMap<>(waits);
  }

  /** Commands the MTA sent so far, by name. */
  synchronized Map<String, Integer> commands() {
    return new TreeMap<>(commands);
  }

  /** Ends of message seen: the messages. */
  synchronized int messages() {
    return commands.getOrDefault("eom", 0);
  }

  /** All replies waited for ÷ messages. */
  synchronized double waitsPerMessage() {
    int total = waits.values().stream().mapToInt(Integer::intValue).sum();
    int m = messages();
    return m == 0 ? Double.NaN : (double) total / m;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket mta = server.accept();
        Socket filter = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        synchronized (this) {
          sockets.add(mta);
          sockets.add(filter);
        }
        Connection c = new Connection();
        start(() -> pump(mta, filter, c, true));
        start(() -> pump(filter, mta, c, false));
      } catch (IOException e) {
        if (!server.isClosed()) {
          System.err.println("bench: milter trace: " + e);
        }
      }
    }
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r, "milter-trace");
    t.setDaemon(true);
    t.start();
  }

  /** The last command of one MTA connection. */
  private static final class Connection {
    String lastCommand = "none";
  }

  /** The next packet (command byte and data), or null at the end of the stream. */
  static byte[] readPacket(DataInputStream in) throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException e) {
      return null;
    }
    if (length < 1 || length > 64 * 1024 * 1024) {
      throw new IOException("bad milter packet length " + length);
    }
    byte[] packet = new byte[length];
    in.readFully(packet);
    return packet;
  }

  /** Copies packets from {@code from} to {@code to}, counting them on the way. */
  private void pump(Socket from, Socket to, Connection c, boolean fromMta) {
    try (from;
        to) {
      DataInputStream in = new DataInputStream(from.getInputStream());
      OutputStream out = to.getOutputStream();
      while (true) {
        byte[] packet = readPacket(in);
        if (packet == null) {
          return;
        }
        int length = packet.length;
        char code = (char) (packet[0] & 0xff);
        synchronized (this) {
          if (fromMta) {
            String name = command(code);
            if (!name.equals("macro")) {
              c.lastCommand = name;
            }
            commands.merge(name, 1, Integer::sum);
          } else if (answers(code)) {
            waits.merge(c.lastCommand, 1, Integer::sum);
          }
        }
        byte[] head = {
          (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
        };
        out.write(head);
        out.write(packet);
        out.flush();
      }
    } catch (IOException e) {
      // the other side closed: the session is over
    }
  }

  /** The MTA's command codes (Sendmail's mfdef.h SMFIC_*). */
  static String command(char code) {
    return switch (code) {
      case 'O' -> "optneg";
      case 'C' -> "connect";
      case 'H' -> "helo";
      case 'M' -> "mail";
      case 'R' -> "rcpt";
      case 'T' -> "data";
      case 'L' -> "header";
      case 'N' -> "eoh";
      case 'B' -> "body";
      case 'E' -> "eom";
      case 'A' -> "abort";
      case 'Q' -> "quit";
      case 'K' -> "quit_nc";
      case 'U' -> "unknown";
      case 'D' -> "macro";
      default -> "other_" + code;
    };
  }

  /** Whether a filter packet answers a command (SMFIR_* that end the MTA's wait). */
  static boolean answers(char code) {
    return switch (code) {
      case 'O', 'c', 'a', 'r', 't', 'd', 'y', 's' -> true;
      default -> false; // header/recipient/body changes, quarantine, progress
    };
  }

  /** {@code name=value} lines: waits per message in all and per command. */
  Map<String, String> properties(String prefix) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    int m = messages();
    out.put(prefix + ".messages", Integer.toString(m));
    out.put(prefix + ".per_message", LoadResult.format(waitsPerMessage()));
    waits().forEach((k, v) -> out.put(prefix + "." + k, LoadResult.format((double) v / m)));
    return out;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    synchronized (this) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing
        }
      }
    }
  }
}
